"""Momentum over lists whose state list holds one array at every position."""

import numpy as np

EXPECTED = {
    "class": "Momentum",
    "verdict": "fail",
    "kind": "crash",
    "why": "[np.zeros_like(params[0])] * len(params) is one array repeated, not one per "
           "parameter: every position shares the first parameter's velocity, and W[11] and "
           "b[2] cannot share it, so the first update raises a broadcasting error",
}


class Momentum:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.v = None

    def update(self, params, grads):
        if self.v is None:
            self.v = [np.zeros_like(params[0])] * len(params)
        for i in range(len(params)):
            self.v[i] *= self.momentum
            self.v[i] -= self.lr * grads[i]
            params[i] += self.v[i]
