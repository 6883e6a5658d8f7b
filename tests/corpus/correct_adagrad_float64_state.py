"""AdaGrad that accumulates in float64 whatever the parameter's dtype."""

import numpy as np

EXPECTED = {
    "class": "AdaGrad",
    "verdict": "pass",
    "variant": "adagrad/eps_outside",
    "why": "float64 state and arithmetic for float32 parameters: the in-place -= rounds once to "
           "float32 at the end, more accurate than the bound asks, and the dtype is kept",
}


class AdaGrad:
    def __init__(self, lr=0.01, eps=1e-7):
        self.lr = lr
        self.eps = eps
        self.h = {}

    def update(self, params, grads):
        for key in params:
            if key not in self.h:
                self.h[key] = np.zeros(np.shape(params[key]), dtype=np.float64)
            g = np.asarray(grads[key], dtype=np.float64)
            self.h[key] += g * g
            params[key] -= self.lr * g / (np.sqrt(self.h[key]) + self.eps)
