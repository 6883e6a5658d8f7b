"""AdaGrad with explicit ufunc out= arguments and a scratch buffer per key
(no temporaries of the parameter size beyond the scratch buffer)."""
EXPECTED = {'class': 'AdaGrad',
 'api': 'book',
 'rule': 'adagrad',
 'verdict': 'pass',
 'variant': 'adagrad/eps_outside',
 'why': 'written by someone who had not read the checker: np.multiply/np.add/np.sqrt/np.divide '
        'with out= into state and scratch buffers'}

# What the writer expected, written before any checker ran (benchmarks/outside.py reads it)
WRITTEN = {'class': 'AdaGrad', 'api': 'book', 'verdict': 'pass', 'rule': 'adagrad', 'why': 'np.multiply/np.add/np.sqrt/np.divide with out= into state and scratch buffers'}

import numpy as np


class AdaGrad:
    def __init__(self, lr=0.01, eps=1e-7):
        self.lr = lr
        self.eps = eps
        self.h = {}
        self._tmp = {}

    def update(self, params, grads):
        for key in params:
            p, g = params[key], grads[key]
            if key not in self.h:
                self.h[key] = np.zeros_like(p)
                self._tmp[key] = np.empty_like(p)
            h, tmp = self.h[key], self._tmp[key]
            np.multiply(g, g, out=tmp)
            np.add(h, tmp, out=h)
            np.sqrt(h, out=tmp)
            np.add(tmp, self.eps, out=tmp)
            np.divide(g, tmp, out=tmp)
            np.multiply(tmp, self.lr, out=tmp)
            np.subtract(p, tmp, out=p)
