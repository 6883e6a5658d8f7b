"""RMSprop with the epsilon in the wrong place."""
EXPECTED = {"class": "RMSprop", "api": "book", "verdict": "fail", "rule": "rmsprop", "why": "eps added to the whole step instead of the denominator", "mistake": "eps added to the whole update: W -= lr*g/sqrt(h) + eps"}

import numpy as np


class RMSprop:
    def __init__(self, lr=0.01, decay_rate=0.99):
        self.lr = lr
        self.decay_rate = decay_rate
        self.h = None

    def update(self, params, grads):
        if self.h is None:
            self.h = {k: np.zeros_like(v) for k, v in params.items()}
        for key in params.keys():
            self.h[key] *= self.decay_rate
            self.h[key] += (1 - self.decay_rate) * grads[key] * grads[key]
            params[key] -= self.lr * grads[key] / np.sqrt(self.h[key]) + 1e-7
