"""RMSprop, forgot the square root."""
EXPECTED = {'class': 'RMSprop',
 'api': 'book',
 'rule': 'rmsprop',
 'verdict': 'fail',
 'kind': 'numeric',
 'mistake': 'root-missing',
 'why': 'written by someone who had not read the checker: divides by the mean square h instead '
        "of its root (the writer's words, before any checker ran: sqrt missing in RMSprop "
        'denominator)'}

# What the writer expected, written before any checker ran (benchmarks/outside.py reads it)
WRITTEN = {'class': 'RMSprop', 'api': 'book', 'verdict': 'fail', 'rule': 'rmsprop', 'why': 'divides by the mean square h instead of its root', 'mistake': 'sqrt missing in RMSprop denominator'}

import numpy as np


class RMSprop:
    def __init__(self, lr=0.01, decay_rate=0.99):
        self.lr = lr
        self.decay_rate = decay_rate
        self.h = {}

    def update(self, params, grads):
        for key, p in params.items():
            if key not in self.h:
                self.h[key] = np.zeros_like(p)
            self.h[key] *= self.decay_rate
            self.h[key] += (1 - self.decay_rate) * grads[key] * grads[key]
            p -= self.lr * grads[key] / (self.h[key] + 1e-7)
