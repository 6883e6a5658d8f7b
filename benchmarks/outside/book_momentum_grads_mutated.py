"""Momentum that scales the gradient in place to save a temporary."""
EXPECTED = {"class": "Momentum", "api": "book", "verdict": "fail", "rule": "momentum", "why": "grads[key] *= lr overwrites the caller's gradient arrays", "mistake": "grads mutated in place (grads[key] *= lr)"}

import numpy as np


class Momentum:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.v = None

    def update(self, params, grads):
        if self.v is None:
            self.v = {k: np.zeros_like(p) for k, p in params.items()}
        for key in params:
            grads[key] *= self.lr  # avoid allocating lr*g
            self.v[key] *= self.momentum
            self.v[key] -= grads[key]
            params[key] += self.v[key]
