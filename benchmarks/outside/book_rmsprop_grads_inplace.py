"""RMSprop that normalises the gradient in place before applying it."""
EXPECTED = {"class": "RMSprop", "api": "book", "verdict": "fail", "rule": "rmsprop", "why": "grads[key] /= (sqrt(h)+eps) overwrites the caller's gradients", "mistake": "grads mutated in place"}

import numpy as np


class RMSprop:
    def __init__(self, lr=0.01, decay_rate=0.99):
        self.lr = lr
        self.decay_rate = decay_rate
        self.h = None

    def update(self, params, grads):
        if self.h is None:
            self.h = {k: np.zeros_like(v) for k, v in params.items()}
        for key in params:
            self.h[key] *= self.decay_rate
            self.h[key] += (1 - self.decay_rate) * grads[key] ** 2
            grads[key] /= np.sqrt(self.h[key]) + 1e-7
            params[key] -= self.lr * grads[key]
