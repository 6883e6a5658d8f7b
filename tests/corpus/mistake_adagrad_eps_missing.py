"""AdaGrad with no epsilon, run into an exactly zero gradient."""

import numpy as np

EXPECTED = {
    "class": "AdaGrad",
    "verdict": "fail",
    "kind": "numeric",
    "mistake": "eps-missing",
    "why": "W -= lr g / sqrt(h): 0/0 = NaN for a zero gradient, and a step of lr where g is tiny",
    "inferred": {},
}


class AdaGrad:
    def __init__(self, lr=0.01):
        self.lr = lr
        self.h = {}

    def update(self, params, grads):
        with np.errstate(all="ignore"):
            for key in params:
                if key not in self.h:
                    self.h[key] = np.zeros_like(params[key])
                self.h[key] += grads[key] * grads[key]
                params[key] -= self.lr * grads[key] / np.sqrt(self.h[key])
