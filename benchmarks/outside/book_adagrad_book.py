"""AdaGrad, copied from the book (eps = 1e-7 so that we never divide by 0)."""
EXPECTED = {"class": "AdaGrad", "api": "book", "verdict": "pass", "rule": "adagrad", "why": "book AdaGrad: h += g*g; W -= lr*g/(sqrt(h)+1e-7)"}

import numpy as np


class AdaGrad:

    """AdaGrad"""

    def __init__(self, lr=0.01):
        self.lr = lr
        self.h = None

    def update(self, params, grads):
        if self.h is None:
            self.h = {}
            for key, val in params.items():
                self.h[key] = np.zeros_like(val)

        for key in params.keys():
            self.h[key] += grads[key] * grads[key]
            params[key] -= self.lr * grads[key] / (np.sqrt(self.h[key]) + 1e-7)
