"""AdaGrad with the epsilon inside the square root: W -= lr*g/sqrt(h + eps)."""
EXPECTED = {"class": "AdaGrad", "api": "book", "verdict": "pass", "rule": "adagrad", "why": "eps inside the root sqrt(h+eps), a legitimate variant"}

import numpy as np


class AdaGrad:
    def __init__(self, lr=0.01, epsilon=1e-7):
        self.lr = lr
        self.epsilon = epsilon
        self.h = None

    def update(self, params, grads):
        if self.h is None:
            self.h = {k: np.zeros_like(v) for k, v in params.items()}
        for k in params:
            self.h[k] += grads[k] * grads[k]
            params[k] -= self.lr * grads[k] / np.sqrt(self.h[k] + self.epsilon)
