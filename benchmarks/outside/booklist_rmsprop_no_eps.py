"""RMSprop for lists without epsilon."""
EXPECTED = {"class": "RMSprop", "api": "booklist", "verdict": "fail", "rule": "rmsprop", "why": "g/sqrt(h) with no epsilon: a zero gradient gives nan", "mistake": "epsilon missing"}

import numpy as np


class RMSprop:
    def __init__(self, lr=0.01, decay_rate=0.99):
        self.lr = lr
        self.decay_rate = decay_rate
        self.h = None

    def update(self, params, grads):
        if self.h is None:
            self.h = [np.zeros_like(p) for p in params]
        for i in range(len(params)):
            self.h[i] *= self.decay_rate
            self.h[i] += (1 - self.decay_rate) * grads[i] * grads[i]
            params[i] -= self.lr * grads[i] / np.sqrt(self.h[i])
