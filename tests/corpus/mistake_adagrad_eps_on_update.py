"""AdaGrad that adds epsilon to the step instead of the denominator."""

import numpy as np

EXPECTED = {
    "class": "AdaGrad",
    "verdict": "fail",
    "kind": "numeric",
    "mistake": "eps-on-update",
    "why": "W -= lr g / sqrt(h) + eps: eps is subtracted from every parameter at every step",
}


class AdaGrad:
    def __init__(self, lr=0.01, eps=1e-7):
        self.lr, self.eps = lr, eps
        self.h = {}

    def update(self, params, grads):
        with np.errstate(all="ignore"):
            for key in params:
                if key not in self.h:
                    self.h[key] = np.zeros_like(params[key])
                self.h[key] += grads[key] * grads[key]
                params[key] -= self.lr * grads[key] / np.sqrt(self.h[key]) + self.eps
