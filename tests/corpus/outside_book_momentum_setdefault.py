"""Momentum with dict.setdefault for the velocity, everything done in place."""
EXPECTED = {'class': 'Momentum',
 'api': 'book',
 'rule': 'momentum',
 'verdict': 'pass',
 'variant': 'momentum/book',
 'why': 'written by someone who had not read the checker: velocity via self.v.setdefault(k, '
        'zeros_like(p)), v *= mu; v -= lr*g; p += v'}

# What the writer expected, written before any checker ran (benchmarks/outside.py reads it)
WRITTEN = {'class': 'Momentum', 'api': 'book', 'verdict': 'pass', 'rule': 'momentum', 'why': 'velocity via self.v.setdefault(k, zeros_like(p)), v *= mu; v -= lr*g; p += v'}

import numpy as np


class Momentum:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.v = {}

    def update(self, params, grads):
        for k, p in params.items():
            v = self.v.setdefault(k, np.zeros_like(p))
            v *= self.momentum
            v -= self.lr * grads[k]
            p += v
