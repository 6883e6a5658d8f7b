"""AdaGrad that forgets: h is the last squared gradient only."""

import numpy as np

EXPECTED = {
    "class": "AdaGrad",
    "verdict": "fail",
    "kind": "numeric",
    "mistake": "not-accumulated-h",
    "inferred": {"eps": 1e-7},
    "why": "h = g**2 instead of h += g**2, so every step is lr * sign(g) (nearly)",
}


class AdaGrad:
    def __init__(self, lr=0.01):
        self.lr = lr
        self.h = None

    def update(self, params, grads):
        if self.h is None:
            self.h = {}
            for key, val in params.items():
                self.h[key] = np.zeros_like(val)
        for key in params.keys():
            self.h[key] = grads[key] ** 2
            params[key] -= self.lr * grads[key] / (np.sqrt(self.h[key]) + 1e-7)
