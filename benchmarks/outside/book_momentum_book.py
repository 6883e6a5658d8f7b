"""Momentum SGD, book style: self.v is None until the first update."""
EXPECTED = {"class": "Momentum", "api": "book", "verdict": "pass", "rule": "momentum", "why": "book's Momentum: v = momentum*v - lr*g; W += v; state lazily created"}

import numpy as np


class Momentum:

    """Momentum SGD"""

    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.v = None

    def update(self, params, grads):
        if self.v is None:
            self.v = {}
            for key, val in params.items():
                self.v[key] = np.zeros_like(val)

        for key in params.keys():
            self.v[key] = self.momentum*self.v[key] - self.lr*grads[key]
            params[key] += self.v[key]
