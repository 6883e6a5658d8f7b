"""AdaGrad with one global accumulator (sum of all squared gradients)."""
EXPECTED = {"class": "AdaGrad", "api": "book", "verdict": "fail", "rule": "adagrad", "why": "a single scalar h is accumulated over all keys instead of per key/element", "mistake": "state shared across keys (a single h for all parameters)"}

import numpy as np


class AdaGrad:
    def __init__(self, lr=0.01):
        self.lr = lr
        self.h = 0.0

    def update(self, params, grads):
        for key in params.keys():
            self.h += np.sum(grads[key] * grads[key])
            params[key] -= self.lr * grads[key] / (np.sqrt(self.h) + 1e-7)
