"""Momentum whose velocity dict is a mutable default argument."""

import numpy as np

EXPECTED = {
    "class": "Momentum",
    "verdict": "fail",
    "kind": "state",
    "why": "def __init__(self, ..., v={}): every instance built with the default shares one dict",
}


class Momentum:
    def __init__(self, lr=0.01, momentum=0.9, v={}):
        self.lr = lr
        self.momentum = momentum
        self.v = v

    def update(self, params, grads):
        for key in params:
            if key not in self.v or np.shape(self.v[key]) != np.shape(params[key]):
                self.v[key] = np.zeros_like(params[key])
            self.v[key] = self.momentum * self.v[key] - self.lr * grads[key]
            params[key] += self.v[key]
