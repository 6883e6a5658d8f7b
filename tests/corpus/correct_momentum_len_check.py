"""Book-API Momentum that compares len(params) with its state to add new keys."""

import numpy as np

EXPECTED = {
    "class": "Momentum",
    "api": "book",
    "verdict": "pass",
    "variant": "momentum/book",
    "why": "dicts throughout, but len(params) in update looks like the list API of the second "
           "volume, so --api book says which it is",
}


class Momentum:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.v = {}

    def update(self, params, grads):
        if len(self.v) < len(params):  # parameters not seen before
            for key in params:
                if key not in self.v:
                    self.v[key] = np.zeros_like(params[key])
        for key in params:
            self.v[key] = self.momentum * self.v[key] - self.lr * grads[key]
            params[key] += self.v[key]
