"""Momentum that scales the caller's gradients in place."""

import numpy as np

EXPECTED = {
    "class": "Momentum",
    "verdict": "fail",
    "kind": "grads-mutated",
    "why": "grads[key] *= lr changes the caller's gradients (a gradient check after it breaks)",
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
            g = grads[key]
            g *= self.lr
            self.v[key] = self.momentum * self.v[key] - g
            params[key] += self.v[key]
