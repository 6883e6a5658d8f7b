"""RMSprop where the per-array maths lives in __call__ and update() just
loops over the dict and delegates."""
EXPECTED = {'class': 'RMSprop',
 'api': 'book',
 'rule': 'rmsprop',
 'verdict': 'pass',
 'variant': 'rmsprop/eps_outside',
 'why': 'written by someone who had not read the checker: __call__(key, p, g) does the '
        'in-place step; update delegates per key'}

# What the writer expected, written before any checker ran (benchmarks/outside.py reads it)
WRITTEN = {'class': 'RMSprop', 'api': 'book', 'verdict': 'pass', 'rule': 'rmsprop', 'why': '__call__(key, p, g) does the in-place step; update delegates per key'}

import numpy as np


class RMSprop:
    def __init__(self, lr=0.01, decay_rate=0.99, eps=1e-7):
        self.lr = lr
        self.decay_rate = decay_rate
        self.eps = eps
        self.h = {}

    def __call__(self, key, p, g):
        if key not in self.h:
            self.h[key] = np.zeros_like(p)
        h = self.h[key]
        h *= self.decay_rate
        h += (1 - self.decay_rate) * g * g
        p -= self.lr * g / (np.sqrt(h) + self.eps)

    def update(self, params, grads):
        for key, p in params.items():
            self(key, p, grads[key])
