"""Nesterov for the vol.2 list API: parameter step with the old velocity,
then the velocity update (Bengio et al. 2012 reformulation)."""
EXPECTED = {"class": "Nesterov", "api": "booklist", "verdict": "pass", "rule": "nesterov", "why": "p += mu*mu*v_prev - (1+mu)*lr*g then v = mu*v - lr*g, equal to -mu*v_prev + (1+mu)*v"}

import numpy as np


class Nesterov:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.v = None

    def update(self, params, grads):
        if self.v is None:
            self.v = [np.zeros_like(p) for p in params]
        for i in range(len(params)):
            params[i] += self.momentum * self.momentum * self.v[i]
            params[i] -= (1 + self.momentum) * self.lr * grads[i]
            self.v[i] *= self.momentum
            self.v[i] -= self.lr * grads[i]
