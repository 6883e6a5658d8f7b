"""Nesterov's Accelerated Gradient (http://arxiv.org/abs/1212.0901), as in the book's current common/optimizer.py.

The velocity is updated first and mu*mu is then applied to the NEW v, so one
step moves W by mu**3*v_prev - (1+mu+mu**2)*lr*g instead of Bengio et al.'s
mu**2*v_prev - (1+mu)*lr*g (== -mu*v_prev + (1+mu)*v_new)."""
EXPECTED = {"class": "Nesterov", "api": "book", "verdict": "fail", "rule": "nesterov", "why": "book code v*=mu; v-=lr*g; W += mu*mu*v; W -= (1+mu)*lr*g uses the updated v in the mu*mu term; first step is already -(1+mu+mu^2)*lr*g instead of -(1+mu)*lr*g", "mistake": "mu*mu applied to the already-updated velocity (not -mu*v_prev + (1+mu)*v)"}

import numpy as np


class Nesterov:

    """Nesterov's Accelerated Gradient (http://arxiv.org/abs/1212.0901)"""

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
            self.v[key] *= self.momentum
            self.v[key] -= self.lr * grads[key]
            params[key] += self.momentum * self.momentum * self.v[key]
            params[key] -= (1 + self.momentum) * self.lr * grads[key]
