"""Adam for lists without bias correction."""
EXPECTED = {"class": "Adam", "api": "booklist", "verdict": "fail", "rule": "adam", "why": "uses lr directly instead of the bias-corrected lr_t", "mistake": "no bias correction"}

import numpy as np


class Adam:
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999):
        self.lr = lr
        self.beta1 = beta1
        self.beta2 = beta2
        self.m = None
        self.v = None

    def update(self, params, grads):
        if self.m is None:
            self.m = [np.zeros_like(p) for p in params]
            self.v = [np.zeros_like(p) for p in params]
        for i in range(len(params)):
            self.m[i] += (1 - self.beta1) * (grads[i] - self.m[i])
            self.v[i] += (1 - self.beta2) * (grads[i] ** 2 - self.v[i])
            params[i] -= self.lr * self.m[i] / (np.sqrt(self.v[i]) + 1e-7)
