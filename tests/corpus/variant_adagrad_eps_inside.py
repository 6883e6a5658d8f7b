"""AdaGrad with epsilon inside the root, as study notes write it: g / sqrt(h + eps)."""

import numpy as np

EXPECTED = {
    "class": "AdaGrad",
    "verdict": "pass",
    "variant": "adagrad/eps_inside",
    "why": "W -= lr g / sqrt(h + eps): a recognised variant, named with a warning",
}


class AdaGrad:
    def __init__(self, lr=0.01, eps=1e-7):
        self.lr = lr
        self.eps = eps
        self.h = {}

    def update(self, params, grads):
        for key in params:
            if key not in self.h:
                self.h[key] = np.zeros_like(params[key])
            self.h[key] += grads[key] ** 2
            params[key] -= self.lr * grads[key] / np.sqrt(self.h[key] + self.eps)
