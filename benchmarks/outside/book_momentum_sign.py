"""Momentum with the gradient sign flipped inside the velocity."""
EXPECTED = {"class": "Momentum", "api": "book", "verdict": "fail", "rule": "momentum", "why": "v = mu*v + lr*g then W += v moves uphill", "mistake": "momentum sign wrong: v = mu*v + lr*g; W += v"}

import numpy as np


class Momentum:
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
            self.v[key] = self.momentum * self.v[key] + self.lr * grads[key]
            params[key] += self.v[key]
