"""Momentum using np.copyto to write the new weights back into the original array."""
EXPECTED = {'class': 'Momentum',
 'api': 'book',
 'rule': 'momentum',
 'verdict': 'pass',
 'variant': 'momentum/book',
 'why': 'written by someone who had not read the checker: computes new v and W then np.copyto '
        'into the original arrays'}

# What the writer expected, written before any checker ran (benchmarks/outside.py reads it)
WRITTEN = {'class': 'Momentum', 'api': 'book', 'verdict': 'pass', 'rule': 'momentum', 'why': 'computes new v and W then np.copyto into the original arrays'}

import numpy as np


class Momentum:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.v = None

    def update(self, params, grads):
        if self.v is None:
            self.v = {k: np.zeros_like(p) for k, p in params.items()}
        for k in params:
            new_v = self.momentum * self.v[k] - self.lr * grads[k]
            np.copyto(self.v[k], new_v)
            np.copyto(params[k], params[k] + self.v[k])
