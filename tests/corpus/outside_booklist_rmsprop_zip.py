"""RMSprop for list params, zip-based, state list created on first call."""
EXPECTED = {'class': 'RMSprop',
 'api': 'booklist',
 'rule': 'rmsprop',
 'verdict': 'pass',
 'variant': 'rmsprop/eps_outside',
 'why': 'written by someone who had not read the checker: zip over params/grads/h with '
        'in-place h and p updates'}

# What the writer expected, written before any checker ran (benchmarks/outside.py reads it)
WRITTEN = {'class': 'RMSprop', 'api': 'booklist', 'verdict': 'pass', 'rule': 'rmsprop', 'why': 'zip over params/grads/h with in-place h and p updates'}

import numpy as np


class RMSprop:
    def __init__(self, lr=0.01, decay_rate=0.99):
        self.lr = lr
        self.decay_rate = decay_rate
        self.h = None

    def update(self, params, grads):
        if self.h is None:
            self.h = [np.zeros_like(p) for p in params]
        for p, g, h in zip(params, grads, self.h):
            h *= self.decay_rate
            h += (1 - self.decay_rate) * g * g
            p -= self.lr * g / (np.sqrt(h) + 1e-7)
