"""AdaGrad with one accumulator for every parameter."""

import numpy as np

EXPECTED = {
    "class": "AdaGrad",
    "verdict": "fail",
    "kind": "crash",
    "why": "self.h += g*g for every key into ONE array: with keys of different shapes (the "
           "checker's probe has W[11] and b[2]) broadcasting fails, so it crashes before any "
           "number can be named as state-shared",
}


class AdaGrad:
    def __init__(self, lr=0.01, eps=1e-7):
        self.lr, self.eps = lr, eps
        self.h = None

    def update(self, params, grads):
        for key in params:
            if self.h is None:
                self.h = np.zeros_like(params[key])
            self.h += grads[key] * grads[key]
            params[key] -= self.lr * grads[key] / (np.sqrt(self.h) + self.eps)
