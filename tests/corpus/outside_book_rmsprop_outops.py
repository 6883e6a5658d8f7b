"""RMSprop using the ufunc out= arguments everywhere."""
EXPECTED = {'class': 'RMSprop',
 'api': 'book',
 'rule': 'rmsprop',
 'verdict': 'pass',
 'variant': 'rmsprop/eps_outside',
 'why': 'written by someone who had not read the checker: np.multiply/np.add/np.sqrt with '
        'out=, no rebinding'}

# What the writer expected, written before any checker ran (benchmarks/outside.py reads it)
WRITTEN = {'class': 'RMSprop', 'api': 'book', 'verdict': 'pass', 'rule': 'rmsprop', 'why': 'np.multiply/np.add/np.sqrt with out=, no rebinding'}

import numpy as np


class RMSprop:
    def __init__(self, lr=0.01, decay_rate=0.99):
        self.lr = lr
        self.decay_rate = decay_rate
        self.h = None

    def update(self, params, grads):
        if self.h is None:
            self.h = {}
        for key in params:
            p = params[key]
            g = grads[key]
            h = self.h.get(key)
            if h is None:
                h = self.h[key] = np.zeros_like(p)
            np.multiply(h, self.decay_rate, out=h)
            np.add(h, (1 - self.decay_rate) * np.square(g), out=h)
            step = np.sqrt(h) + 1e-7
            np.subtract(p, self.lr * g / step, out=p)
