"""Momentum with in-place operators only: no temporary velocity is ever bound."""

import numpy as np

EXPECTED = {
    "class": "Momentum",
    "verdict": "pass",
    "variant": "momentum/book",
    "why": "v *= mu; v -= lr * g; W += v: the same recurrence with in-place operators only",
}


class Momentum:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.v = {}

    def update(self, params, grads):
        for key in params:
            if key not in self.v:
                self.v[key] = np.zeros_like(params[key], dtype=np.result_type(params[key], 0.0))
            v = self.v[key]
            v *= self.momentum
            v -= self.lr * grads[key]
            params[key] += v
