"""RMSprop with eps inside the square root (TensorFlow 1.x / Keras style)."""
EXPECTED = {"class": "RMSprop", "api": "book", "verdict": "pass", "rule": "rmsprop", "why": "eps inside the root sqrt(h+eps), legitimate variant"}

import numpy as np


class RMSprop:
    def __init__(self, lr=0.01, decay_rate=0.99, epsilon=1e-7):
        self.lr = lr
        self.decay_rate = decay_rate
        self.epsilon = epsilon
        self.h = {}

    def update(self, params, grads):
        for key in params:
            g = grads[key]
            h = self.h.get(key)
            if h is None:
                h = np.zeros_like(params[key])
            h = self.decay_rate * h + (1.0 - self.decay_rate) * np.square(g)
            self.h[key] = h
            params[key] -= self.lr * g / np.sqrt(h + self.epsilon)
