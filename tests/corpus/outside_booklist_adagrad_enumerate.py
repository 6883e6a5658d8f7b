"""AdaGrad over lists using enumerate."""
EXPECTED = {'class': 'AdaGrad',
 'api': 'booklist',
 'rule': 'adagrad',
 'verdict': 'pass',
 'variant': 'adagrad/eps_outside',
 'why': 'written by someone who had not read the checker: enumerate(params) with per-index h '
        'list, in-place update'}

# What the writer expected, written before any checker ran (benchmarks/outside.py reads it)
WRITTEN = {'class': 'AdaGrad', 'api': 'booklist', 'verdict': 'pass', 'rule': 'adagrad', 'why': 'enumerate(params) with per-index h list, in-place update'}

import numpy as np


class AdaGrad:
    def __init__(self, lr=0.01):
        self.lr = lr
        self.h = None

    def update(self, params, grads):
        if self.h is None:
            self.h = [np.zeros_like(p) for p in params]
        for i, p in enumerate(params):
            g = grads[i]
            self.h[i] += g * g
            p -= self.lr * g / (np.sqrt(self.h[i]) + 1e-7)
