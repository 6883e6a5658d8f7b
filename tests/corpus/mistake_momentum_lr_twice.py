"""Momentum that scales by lr both inside the velocity and when moving W."""

import numpy as np

EXPECTED = {
    "class": "Momentum",
    "verdict": "fail",
    "kind": "numeric",
    "mistake": "lr-twice",
    "why": "v = mu v - lr g, then W += lr v: the book's and PyTorch's conventions combined",
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
            params[key] += self.lr * self.v[key]
