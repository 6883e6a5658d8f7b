"""AdaGrad that (re)initialises its accumulator inside update()."""
EXPECTED = {"class": "AdaGrad", "api": "book", "verdict": "fail", "rule": "adagrad", "why": "h is set to zeros on every call, so nothing accumulates", "mistake": "AdaGrad h reset every call"}

import numpy as np


class AdaGrad:
    def __init__(self, lr=0.01):
        self.lr = lr
        self.h = None

    def update(self, params, grads):
        self.h = {}
        for key, val in params.items():
            self.h[key] = np.zeros_like(val)

        for key in params.keys():
            self.h[key] += grads[key] * grads[key]
            params[key] -= self.lr * grads[key] / (np.sqrt(self.h[key]) + 1e-7)
