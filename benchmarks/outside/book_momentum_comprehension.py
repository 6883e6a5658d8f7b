"""Momentum whose state is built with a dict comprehension on first call."""
EXPECTED = {"class": "Momentum", "api": "book", "verdict": "pass", "rule": "momentum", "why": "comprehension-built velocity dict; params[key] += v"}

import numpy as np


class Momentum:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.v = None

    def update(self, params, grads):
        if self.v is None:
            self.v = {k: np.zeros_like(v) for k, v in params.items()}
        for key in params.keys():
            self.v[key] = self.momentum * self.v[key] - self.lr * grads[key]
            params[key] += self.v[key]
