"""Momentum that also works when a parameter is a Python float (the book's comparison script)."""

import numpy as np

EXPECTED = {
    "class": "Momentum",
    "verdict": "pass",
    "variant": "momentum/book",
    "why": "np.zeros_like(1.5) is a 0-d array, so a float parameter gets a velocity like any other",
}


class Momentum:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.v = {}

    def update(self, params, grads):
        for key in params:
            if key not in self.v:
                self.v[key] = np.zeros_like(params[key])
            self.v[key] = self.momentum * self.v[key] - self.lr * grads[key]
            params[key] += self.v[key]
