"""RMSProp (Hinton's lecture 6e spelling). Moving average of squared grads."""
EXPECTED = {'class': 'RMSProp',
 'api': 'book',
 'rule': 'rmsprop',
 'verdict': 'pass',
 'variant': 'rmsprop/eps_outside',
 'why': 'written by someone who had not read the checker: class named RMSProp, cache = '
        'rho*cache + (1-rho)*g**2, eps=1e-8 arg'}

# What the writer expected, written before any checker ran (benchmarks/outside.py reads it)
WRITTEN = {'class': 'RMSProp', 'api': 'book', 'verdict': 'pass', 'rule': 'rmsprop', 'why': 'class named RMSProp, cache = rho*cache + (1-rho)*g**2, eps=1e-8 arg'}

import numpy as np


class RMSProp:
    def __init__(self, lr=0.01, decay_rate=0.99, eps=1e-8):
        self.lr = lr
        self.decay_rate = decay_rate
        self.eps = eps
        self.cache = {}

    def update(self, params, grads):
        rho = self.decay_rate
        for k, w in params.items():
            g = grads[k]
            if k not in self.cache:
                self.cache[k] = np.zeros_like(w)
            self.cache[k] = rho * self.cache[k] + (1 - rho) * g**2
            w -= self.lr * g / (np.sqrt(self.cache[k]) + self.eps)
