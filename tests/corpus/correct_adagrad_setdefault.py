"""AdaGrad with lazy per-key state created by dict.setdefault."""

import numpy as np

EXPECTED = {
    "class": "AdaGrad",
    "verdict": "pass",
    "variant": "adagrad/eps_outside",
    "why": "self.h.setdefault(key, zeros) creates each key's accumulator on its first use",
}


class AdaGrad:
    def __init__(self, lr=0.01, eps=1e-7):
        self.lr, self.eps = lr, eps
        self.h = {}

    def update(self, params, grads):
        for key in params:
            h = self.h.setdefault(key, np.zeros_like(params[key]))
            h += grads[key] * grads[key]
            params[key] -= self.lr * grads[key] / (np.sqrt(h) + self.eps)
