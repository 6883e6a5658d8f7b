"""Adam with two defaultdicts whose default is the scalar 0 (broadcasts)."""
EXPECTED = {'class': 'Adam',
 'api': 'book',
 'rule': 'adam',
 'verdict': 'pass',
 'variant': 'adam/algorithm1',
 'why': 'written by someone who had not read the checker: collections.defaultdict(int) moments '
        'starting at 0, step counter per instance'}

# What the writer expected, written before any checker ran (benchmarks/outside.py reads it)
WRITTEN = {'class': 'Adam', 'api': 'book', 'verdict': 'pass', 'rule': 'adam', 'why': 'collections.defaultdict(int) moments starting at 0, step counter per instance'}

import collections

import numpy as np


class Adam:
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999):
        self.lr = lr
        self.beta1 = beta1
        self.beta2 = beta2
        self.m = collections.defaultdict(int)
        self.v = collections.defaultdict(int)
        self.n_steps = 0

    def update(self, params, grads):
        self.n_steps += 1
        c1 = 1 - self.beta1 ** self.n_steps
        c2 = 1 - self.beta2 ** self.n_steps
        for name, w in params.items():
            g = grads[name]
            self.m[name] = self.beta1 * self.m[name] + (1 - self.beta1) * g
            self.v[name] = self.beta2 * self.v[name] + (1 - self.beta2) * g * g
            w -= self.lr * (self.m[name] / c1) / (np.sqrt(self.v[name] / c2) + 1e-8)
