"""AdaGrad writing back with slice assignment. 0-d arrays can't be sliced
with [:], so those get p[()] instead."""
EXPECTED = {'class': 'AdaGrad',
 'api': 'book',
 'rule': 'adagrad',
 'verdict': 'pass',
 'variant': 'adagrad/eps_outside',
 'why': 'written by someone who had not read the checker: slice assignment p[:] = ..., with '
        'p[()] for 0-d arrays'}

# What the writer expected, written before any checker ran (benchmarks/outside.py reads it)
WRITTEN = {'class': 'AdaGrad', 'api': 'book', 'verdict': 'pass', 'rule': 'adagrad', 'why': 'slice assignment p[:] = ..., with p[()] for 0-d arrays'}

import numpy as np


class AdaGrad:
    def __init__(self, lr=0.01):
        self.lr = lr
        self.h = {}

    def update(self, params, grads):
        for key in params.keys():
            p = params[key]
            g = grads[key]
            if key not in self.h:
                self.h[key] = np.zeros_like(p)
            self.h[key] = self.h[key] + g * g
            new_p = p - self.lr * g / (np.sqrt(self.h[key]) + 1e-7)
            if p.ndim == 0:
                p[()] = new_p
            else:
                p[:] = new_p
