"""Lazy (sparse) Adam on a dense problem: m, v and W left alone where g == 0."""
EXPECTED = {'api': 'book',
 'class': 'Adam',
 'kind': 'numeric',
 'rule': 'adam',
 'verdict': 'fail',
 'why': 'written by someone who had not read the checker: m, v and W are skipped where the '
        'gradient is exactly 0, which a dense Adam still decays and moves'}

# What the writer expected, written before any checker ran (benchmarks/outside.py reads it)
WRITTEN = {'class': 'Adam', 'api': 'book', 'verdict': 'fail', 'rule': 'adam', 'why': 'lazy/sparse Adam applied to a dense problem: m, v (and W) untouched where g == 0'}

import numpy as np


class Adam:
    """BUG: lazy/sparse Adam on a dense problem: m, v (and W) untouched where g == 0."""

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999):
        self.lr, self.beta1, self.beta2 = lr, beta1, beta2
        self.iter = 0
        self.m, self.v = {}, {}

    def update(self, params, grads):
        self.iter += 1
        lr_t = self.lr * np.sqrt(1.0 - self.beta2 ** self.iter) / (1.0 - self.beta1 ** self.iter)
        for key in params:
            g = grads[key]
            if key not in self.m:
                self.m[key] = np.zeros_like(g)
                self.v[key] = np.zeros_like(g)
            nz = g != 0
            self.m[key] = np.where(nz, self.m[key] + (1 - self.beta1) * (g - self.m[key]), self.m[key])
            self.v[key] = np.where(nz, self.v[key] + (1 - self.beta2) * (g ** 2 - self.v[key]), self.v[key])
            step = lr_t * self.m[key] / (np.sqrt(self.v[key]) + 1e-7)
            params[key] -= np.where(nz, step, 0)
