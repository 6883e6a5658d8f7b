"""Nesterov's Accelerated Gradient (http://arxiv.org/abs/1212.0901), vol.2 list form, as printed.

mu*mu multiplies the velocity AFTER it has been updated, which is not
x += -mu*v_prev + (1+mu)*v (that needs mu*mu*v_prev)."""
EXPECTED = {"class": "Nesterov", "api": "booklist", "verdict": "fail", "rule": "nesterov", "why": "vol.2 code applies mu*mu to the updated v: step is mu^3*v_prev - (1+mu+mu^2)*lr*g", "mistake": "mu*mu applied to the already-updated velocity (not -mu*v_prev + (1+mu)*v)"}

import numpy as np


class Nesterov:
    '''
    Nesterov's Accelerated Gradient (http://arxiv.org/abs/1212.0901)
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
            self.v[i] *= self.momentum
            self.v[i] -= self.lr * grads[i]
            params[i] += self.momentum * self.momentum * self.v[i]
            params[i] -= (1 + self.momentum) * self.lr * grads[i]
