"""SGD that "revives dead weights": a parameter that is exactly 0 is set to 1e-8 first."""
EXPECTED = {'api': 'book',
 'class': 'SGD',
 'kind': 'numeric',
 'rule': 'sgd',
 'verdict': 'fail',
 'why': 'written by someone who had not read the checker: exact-zero parameters are nudged to '
        '1e-8 before the step; it passed until the checker drew parameters that are exactly 0 '
        "(the book's biases start at np.zeros)"}

# What the writer expected, written before any checker ran (benchmarks/outside.py reads it)
WRITTEN = {'class': 'SGD', 'api': 'book', 'verdict': 'fail', 'rule': 'sgd', 'why': 'exact-zero parameters set to 1e-8 before the step'}

import numpy as np


class SGD:
    """BUG: exact-zero parameters are nudged by 1e-8 ("revive dead weights") before the step."""

    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for key in params:
            p = params[key]
            p[p == 0] = 1e-8
            p -= self.lr * grads[key]
