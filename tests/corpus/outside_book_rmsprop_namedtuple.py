"""RMSprop with hyper-parameters in a namedtuple (immutable config) and a
mutable dict of squared-gradient averages."""
EXPECTED = {'class': 'RMSprop',
 'api': 'book',
 'rule': 'rmsprop',
 'verdict': 'pass',
 'variant': 'rmsprop/eps_outside',
 'why': 'written by someone who had not read the checker: namedtuple hyper-params, in-place '
        'state and param updates'}

# What the writer expected, written before any checker ran (benchmarks/outside.py reads it)
WRITTEN = {'class': 'RMSprop', 'api': 'book', 'verdict': 'pass', 'rule': 'rmsprop', 'why': 'namedtuple hyper-params, in-place state and param updates'}

from collections import namedtuple

import numpy as np

HParams = namedtuple("HParams", ["lr", "decay_rate", "eps"])


class RMSprop:
    def __init__(self, lr=0.01, decay_rate=0.99):
        self.hp = HParams(lr=lr, decay_rate=decay_rate, eps=1e-7)
        self.ms = {}

    @property
    def lr(self):
        return self.hp.lr

    def update(self, params, grads):
        lr, rho, eps = self.hp
        for key, w in params.items():
            g = grads[key]
            if key not in self.ms:
                self.ms[key] = np.zeros_like(w)
            ms = self.ms[key]
            ms *= rho
            ms += (1 - rho) * g * g
            w -= lr * g / (np.sqrt(ms) + eps)
