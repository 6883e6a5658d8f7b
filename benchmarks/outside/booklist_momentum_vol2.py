"""Momentum SGD, vol.2 (list) version."""
EXPECTED = {"class": "Momentum", "api": "booklist", "verdict": "pass", "rule": "momentum", "why": "vol.2 Momentum with a list of velocities created lazily"}

import numpy as np


class Momentum:
    '''
    Momentum SGD
    '''
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.v = None

    def update(self, params, grads):
        if self.v is None:
            self.v = []
            for param in params:
                self.v.append(np.zeros_like(param))

        for i in range(len(params)):
            self.v[i] = self.momentum * self.v[i] - self.lr * grads[i]
            params[i] += self.v[i]
