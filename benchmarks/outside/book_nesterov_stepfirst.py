"""Nesterov written with the parameter step first and the velocity update
after it, so the mu*mu term sees the previous velocity:

    W += mu*mu*v_prev - (1+mu)*lr*g      (== -mu*v_prev + (1+mu)*v_new)
    v  = mu*v_prev - lr*g
"""
EXPECTED = {"class": "Nesterov", "api": "book", "verdict": "pass", "rule": "nesterov", "why": "parameter step uses v_prev, velocity updated afterwards: algebraically Bengio et al.'s -mu*v_prev + (1+mu)*v"}

import numpy as np


class Nesterov:
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
            params[key] += self.momentum * self.momentum * self.v[key]
            params[key] -= (1 + self.momentum) * self.lr * grads[key]
            self.v[key] *= self.momentum
            self.v[key] -= self.lr * grads[key]
