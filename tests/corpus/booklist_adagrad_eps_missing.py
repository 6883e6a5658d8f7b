"""The second volume's AdaGrad with the 1e-7 left out of the denominator."""

import numpy as np

EXPECTED = {
    "class": "AdaGrad",
    "verdict": "fail",
    "kind": "numeric",
    "mistake": "eps-missing",
    "inferred": {},
    "why": "params[i] -= lr g / sqrt(h): 0/0 = NaN for a zero gradient, and a step of lr where "
           "g is tiny",
}


class AdaGrad:
    def __init__(self, lr=0.01):
        self.lr = lr
        self.h = None

    def update(self, params, grads):
        if self.h is None:
            self.h = []
            for param in params:
                self.h.append(np.zeros_like(param))

        with np.errstate(all="ignore"):
            for i in range(len(params)):
                self.h[i] += grads[i] * grads[i]
                params[i] -= self.lr * grads[i] / np.sqrt(self.h[i])
