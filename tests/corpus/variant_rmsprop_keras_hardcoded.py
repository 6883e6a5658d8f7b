"""tf.keras-style RMSprop with its epsilon 1e-7 hard-coded inside the root."""

import numpy as np

EXPECTED = {
    "class": "RMSprop",
    "verdict": "pass",
    "variant": "rmsprop/eps_inside",
    "inferred": {"eps": 1e-7},
    "why": "g / sqrt(h + 1e-7) with no eps argument: the variant and its constant inferred",
}


class RMSprop:
    def __init__(self, lr=0.001, rho=0.9):
        self.lr = lr
        self.rho = rho
        self.h = {}

    def update(self, params, grads):
        for key in params:
            if key not in self.h:
                self.h[key] = np.zeros_like(params[key])
            self.h[key] = self.rho * self.h[key] + (1 - self.rho) * grads[key] ** 2
            params[key] -= self.lr * grads[key] / np.sqrt(self.h[key] + 1e-7)
