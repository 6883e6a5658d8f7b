"""RMSprop that copies each weight 'to be safe' and updates the copy."""
EXPECTED = {"class": "RMSprop", "api": "book", "verdict": "fail", "rule": "rmsprop", "why": "updates w = params[key].copy() and never writes it back", "mistake": "update does nothing to params (works on a copy)"}

import numpy as np


class RMSprop:
    def __init__(self, lr=0.01, decay_rate=0.99):
        self.lr = lr
        self.decay_rate = decay_rate
        self.h = {}

    def update(self, params, grads):
        for key in params:
            w = params[key].copy()
            g = grads[key]
            if key not in self.h:
                self.h[key] = np.zeros_like(w)
            self.h[key] = self.decay_rate * self.h[key] + (1 - self.decay_rate) * g * g
            w -= self.lr * g / (np.sqrt(self.h[key]) + 1e-7)
