"""Momentum with zip where the velocity gets rebound locally."""
EXPECTED = {"class": "Momentum", "api": "booklist", "verdict": "fail", "rule": "momentum", "why": "v = mu*v - lr*g rebinds the loop variable; self.v stays zero so it is plain SGD", "mistake": "velocity never stored back (local rebind in zip loop)"}

import numpy as np


class Momentum:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.v = None

    def update(self, params, grads):
        if self.v is None:
            self.v = [np.zeros_like(p) for p in params]
        for p, g, v in zip(params, grads, self.v):
            v = self.momentum * v - self.lr * g
            p += v
