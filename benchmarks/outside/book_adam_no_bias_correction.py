"""Adam without bias correction ("it only matters for the first few steps")."""
EXPECTED = {"class": "Adam", "api": "book", "verdict": "fail", "rule": "adam", "why": "uses raw m and v, no division by (1-beta^t)", "mistake": "no bias correction"}

import numpy as np


class Adam:
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999):
        self.lr = lr
        self.beta1 = beta1
        self.beta2 = beta2
        self.m = {}
        self.v = {}

    def update(self, params, grads):
        for key, p in params.items():
            g = grads[key]
            m = self.m.get(key, np.zeros_like(p))
            v = self.v.get(key, np.zeros_like(p))
            m = self.beta1 * m + (1 - self.beta1) * g
            v = self.beta2 * v + (1 - self.beta2) * g * g
            self.m[key], self.v[key] = m, v
            p -= self.lr * m / (np.sqrt(v) + 1e-8)
