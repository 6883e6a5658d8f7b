"""Momentum whose velocity starts at ones."""

import numpy as np

EXPECTED = {
    "class": "Momentum",
    "verdict": "fail",
    "kind": "numeric",
    "mistake": "ones-init-v",
    "why": "np.ones_like instead of np.zeros_like: the first step carries a phantom velocity of 1",
}


class Momentum:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.v = None

    def update(self, params, grads):
        if self.v is None:
            self.v = {}
            for key, val in params.items():
                self.v[key] = np.ones_like(val)
        for key in params.keys():
            self.v[key] = self.momentum * self.v[key] - self.lr * grads[key]
            params[key] += self.v[key]
