"""AdaGrad for list params, written with ufunc out= and a list comprehension
for the state."""
EXPECTED = {'class': 'AdaGrad',
 'api': 'booklist',
 'rule': 'adagrad',
 'verdict': 'pass',
 'variant': 'adagrad/eps_outside',
 'why': 'written by someone who had not read the checker: list-comprehension state, '
        'np.add/np.subtract with out='}

# What the writer expected, written before any checker ran (benchmarks/outside.py reads it)
WRITTEN = {'class': 'AdaGrad', 'api': 'booklist', 'verdict': 'pass', 'rule': 'adagrad', 'why': 'list-comprehension state, np.add/np.subtract with out='}

import numpy as np


class AdaGrad:
    def __init__(self, lr=0.01, eps=1e-8):
        self.lr = lr
        self.eps = eps
        self.h = None

    def update(self, params, grads):
        if self.h is None:
            self.h = [np.zeros_like(p) for p in params]
        for p, g, h in zip(params, grads, self.h):
            np.add(h, np.square(g), out=h)
            np.subtract(p, self.lr * g / (np.sqrt(h) + self.eps), out=p)
