"""Momentum with the velocity dict declared at class level."""
EXPECTED = {"class": "Momentum", "api": "book", "verdict": "fail", "rule": "momentum", "why": "v = {} on the class is shared by every Momentum instance", "mistake": "state as a class attribute shared across instances"}

import numpy as np


class Momentum:
    v = {}

    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum

    def update(self, params, grads):
        for key in params.keys():
            if key not in self.v:
                self.v[key] = np.zeros_like(params[key])
            self.v[key] *= self.momentum
            self.v[key] -= self.lr * grads[key]
            params[key] += self.v[key]
