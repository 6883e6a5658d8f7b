"""Nesterov the way torch.optim.SGD(nesterov=True) does it:

    b = mu*b + g
    W -= lr*(g + mu*b)
"""
EXPECTED = {'class': 'Nesterov',
 'api': 'book',
 'rule': 'nesterov',
 'verdict': 'pass',
 'variant': 'nesterov/pytorch',
 'why': 'written by someone who had not read the checker: PyTorch nesterov form b = mu*b + g; '
        'W -= lr*(g + mu*b)'}

# What the writer expected, written before any checker ran (benchmarks/outside.py reads it)
WRITTEN = {'class': 'Nesterov', 'api': 'book', 'verdict': 'pass', 'rule': 'nesterov', 'why': 'PyTorch nesterov form b = mu*b + g; W -= lr*(g + mu*b)'}

import numpy as np


class Nesterov:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.b = {}

    def update(self, params, grads):
        for name, w in params.items():
            g = grads[name]
            b = self.b.get(name)
            if b is None:
                b = self.b[name] = np.zeros_like(w)
            b *= self.momentum
            b += g
            w -= self.lr * (g + self.momentum * b)
