"""Momentum that is careful about dtypes: state has the param's dtype and the
hyper-parameters are cast to it, so float32 nets stay float32 end-to-end."""
EXPECTED = {'class': 'Momentum',
 'api': 'book',
 'rule': 'momentum',
 'verdict': 'pass',
 'variant': 'momentum/book',
 'why': 'written by someone who had not read the checker: state allocated with p.dtype, '
        'scalars cast to p.dtype, in-place updates'}

# What the writer expected, written before any checker ran (benchmarks/outside.py reads it)
WRITTEN = {'class': 'Momentum', 'api': 'book', 'verdict': 'pass', 'rule': 'momentum', 'why': 'state allocated with p.dtype, scalars cast to p.dtype, in-place updates'}

import numpy as np


class Momentum:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.v = {}

    def update(self, params, grads):
        for key, p in params.items():
            if key not in self.v:
                self.v[key] = np.zeros(p.shape, dtype=p.dtype)
            dt = p.dtype.type
            v = self.v[key]
            v *= dt(self.momentum)
            v -= dt(self.lr) * grads[key]
            p += v
