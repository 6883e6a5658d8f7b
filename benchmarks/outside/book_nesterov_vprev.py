"""Nesterov momentum in the "v_prev" form from the CS231n notes / Bengio et al. 2012:

    v_prev = v
    v = mu * v - lr * g
    x += -mu * v_prev + (1 + mu) * v
"""
EXPECTED = {"class": "Nesterov", "api": "book", "verdict": "pass", "rule": "nesterov", "why": "v_prev form: x += -mu*v_prev + (1+mu)*v"}

import numpy as np


class Nesterov:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.v = {}

    def update(self, params, grads):
        mu = self.momentum
        for key in params:
            if key not in self.v:
                self.v[key] = np.zeros_like(params[key])
            v_prev = self.v[key].copy()
            self.v[key] = mu * self.v[key] - self.lr * grads[key]
            params[key] += -mu * v_prev + (1 + mu) * self.v[key]
