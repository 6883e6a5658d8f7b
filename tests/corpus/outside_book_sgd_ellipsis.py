"""SGD that writes results back with params[key][...] = ... (works for 0-d arrays too)."""
EXPECTED = {'class': 'SGD',
 'api': 'book',
 'rule': 'sgd',
 'verdict': 'pass',
 'variant': 'sgd/plain',
 'why': 'written by someone who had not read the checker: ellipsis assignment params[key][...] '
        '= new value keeps array identity'}

# What the writer expected, written before any checker ran (benchmarks/outside.py reads it)
WRITTEN = {'class': 'SGD', 'api': 'book', 'verdict': 'pass', 'rule': 'sgd', 'why': 'ellipsis assignment params[key][...] = new value keeps array identity'}

import numpy as np


class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for key, g in grads.items():
            w = params[key]
            w[...] = w - self.lr * g
