"""AdaGrad without the small constant in the denominator."""
EXPECTED = {"class": "AdaGrad", "api": "book", "verdict": "fail", "rule": "adagrad", "why": "divides by sqrt(h) with no epsilon, so zero gradients give 0/0 = nan", "mistake": "epsilon missing"}

import numpy as np


class AdaGrad:
    def __init__(self, lr=0.01):
        self.lr = lr
        self.h = None

    def update(self, params, grads):
        if self.h is None:
            self.h = {k: np.zeros_like(v) for k, v in params.items()}
        for key in params.keys():
            self.h[key] += grads[key] * grads[key]
            params[key] -= self.lr * grads[key] / np.sqrt(self.h[key])
