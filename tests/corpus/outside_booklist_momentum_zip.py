"""Momentum over parallel lists using zip; all three arrays updated in place."""
EXPECTED = {'class': 'Momentum',
 'api': 'booklist',
 'rule': 'momentum',
 'verdict': 'pass',
 'variant': 'momentum/book',
 'why': 'written by someone who had not read the checker: zip(params, grads, self.v) with '
        'in-place v *= mu; v -= lr*g; p += v'}

# What the writer expected, written before any checker ran (benchmarks/outside.py reads it)
WRITTEN = {'class': 'Momentum', 'api': 'booklist', 'verdict': 'pass', 'rule': 'momentum', 'why': 'zip(params, grads, self.v) with in-place v *= mu; v -= lr*g; p += v'}

import numpy as np


class Momentum:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.v = None

    def update(self, params, grads):
        if self.v is None:
            self.v = [np.zeros_like(p) for p in params]
        for p, g, v in zip(params, grads, self.v):
            v *= self.momentum
            v -= self.lr * g
            p += v
