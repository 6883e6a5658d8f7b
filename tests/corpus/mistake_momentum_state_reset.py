"""Momentum that builds a fresh velocity dict on every call."""

import numpy as np

EXPECTED = {
    "class": "Momentum",
    "verdict": "fail",
    "kind": "numeric",
    "mistake": "state-reset",
    "why": "self.v = {} at the top of update: the velocity is zero at every step, so it is plain SGD",
}


class Momentum:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum

    def update(self, params, grads):
        self.v = {}
        for key, val in params.items():
            self.v[key] = np.zeros_like(val)
        for key in params.keys():
            self.v[key] = self.momentum * self.v[key] - self.lr * grads[key]
            params[key] += self.v[key]
