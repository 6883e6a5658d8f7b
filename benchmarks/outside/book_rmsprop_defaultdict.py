"""RMSprop with collections.defaultdict(float): the running average starts as
the scalar 0.0 and turns into an array after the first update."""
EXPECTED = {"class": "RMSprop", "api": "book", "verdict": "pass", "rule": "rmsprop", "why": "defaultdict(float) state broadcast from 0.0, params updated in place"}

from collections import defaultdict

import numpy as np


class RMSprop:
    def __init__(self, lr=0.01, decay_rate=0.99):
        self.lr = lr
        self.decay_rate = decay_rate
        self.h = defaultdict(float)

    def update(self, params, grads):
        for key in params.keys():
            g = grads[key]
            self.h[key] = self.decay_rate * self.h[key] + (1 - self.decay_rate) * g * g
            params[key] -= self.lr * g / (np.sqrt(self.h[key]) + 1e-7)
