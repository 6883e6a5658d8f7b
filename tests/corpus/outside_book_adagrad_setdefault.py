"""AdaGrad, state through dict.setdefault, epsilon as constructor argument."""
EXPECTED = {'class': 'AdaGrad',
 'api': 'book',
 'rule': 'adagrad',
 'verdict': 'pass',
 'variant': 'adagrad/eps_outside',
 'why': 'written by someone who had not read the checker: setdefault-created h, eps '
        'constructor arg, in-place update'}

# What the writer expected, written before any checker ran (benchmarks/outside.py reads it)
WRITTEN = {'class': 'AdaGrad', 'api': 'book', 'verdict': 'pass', 'rule': 'adagrad', 'why': 'setdefault-created h, eps constructor arg, in-place update'}

import numpy as np


class AdaGrad:
    def __init__(self, lr=0.01, eps=1e-8):
        self.lr = lr
        self.eps = eps
        self.h = {}

    def update(self, params, grads):
        for key, param in params.items():
            g = grads[key]
            h = self.h.setdefault(key, np.zeros_like(param))
            h += g ** 2
            param -= self.lr * g / (np.sqrt(h) + self.eps)
