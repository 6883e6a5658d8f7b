"""AdaGrad over lists using enumerate."""
EXPECTED = {"class": "AdaGrad", "api": "booklist", "verdict": "pass", "rule": "adagrad", "why": "enumerate(params) with per-index h list, in-place update"}

import numpy as np


class AdaGrad:
    def __init__(self, lr=0.01):
        self.lr = lr
        self.h = None

    def update(self, params, grads):
        if self.h is None:
            self.h = [np.zeros_like(p) for p in params]
        for i, p in enumerate(params):
            g = grads[i]
            self.h[i] += g * g
            p -= self.lr * g / (np.sqrt(self.h[i]) + 1e-7)
