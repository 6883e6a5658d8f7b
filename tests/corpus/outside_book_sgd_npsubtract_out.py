"""Plain SGD using np.subtract with out= so the network's arrays are reused."""
EXPECTED = {'class': 'SGD',
 'api': 'book',
 'rule': 'sgd',
 'verdict': 'pass',
 'variant': 'sgd/plain',
 'why': 'written by someone who had not read the checker: np.subtract(p, lr*g, out=p) writes '
        'into the same array'}

# What the writer expected, written before any checker ran (benchmarks/outside.py reads it)
WRITTEN = {'class': 'SGD', 'api': 'book', 'verdict': 'pass', 'rule': 'sgd', 'why': 'np.subtract(p, lr*g, out=p) writes into the same array'}

import numpy as np


class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for name in params:
            p = params[name]
            np.subtract(p, self.lr * grads[name], out=p)
