"""Momentum with one velocity for every parameter."""

import numpy as np

EXPECTED = {
    "class": "Momentum",
    "verdict": "fail",
    "kind": "crash",
    "why": "self.v is one array shared by every key: W[11] and b[2] cannot share it, so the "
           "first update raises a broadcasting error",
}


class Momentum:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.v = None

    def update(self, params, grads):
        for key in params:
            if self.v is None:
                self.v = np.zeros_like(params[key])
            self.v = self.momentum * self.v - self.lr * grads[key]
            params[key] += self.v
