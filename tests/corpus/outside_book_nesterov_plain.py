"""'Nesterov' that computes the look-ahead velocity but then just adds it."""
EXPECTED = {'class': 'Nesterov',
 'api': 'book',
 'rule': 'nesterov',
 'verdict': 'fail',
 'kind': 'numeric',
 'mistake': 'old-velocity',
 'why': 'written by someone who had not read the checker: W += v after updating v is plain '
        "momentum, no look-ahead correction (the writer's words, before any checker ran: "
        'nesterov degenerates to plain momentum (W += v))'}

# What the writer expected, written before any checker ran (benchmarks/outside.py reads it)
WRITTEN = {'class': 'Nesterov', 'api': 'book', 'verdict': 'fail', 'rule': 'nesterov', 'why': 'W += v after updating v is plain momentum, no look-ahead correction', 'mistake': 'nesterov degenerates to plain momentum (W += v)'}

import numpy as np


class Nesterov:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.v = None

    def update(self, params, grads):
        if self.v is None:
            self.v = {k: np.zeros_like(val) for k, val in params.items()}
        for key in params.keys():
            self.v[key] = self.momentum * self.v[key] - self.lr * grads[key]
            params[key] += self.v[key]
