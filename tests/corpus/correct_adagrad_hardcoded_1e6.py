"""AdaGrad with epsilon 1e-6 hard-coded, a value no source uses."""

import numpy as np

EXPECTED = {
    "class": "AdaGrad",
    "verdict": "pass",
    "variant": "adagrad/eps_outside",
    "inferred": {"eps": 1e-6},
    "why": "an unusual hard-coded eps is solved for and snapped to the shortest decimal, 1e-06",
}


class AdaGrad:
    def __init__(self, lr=0.01):
        self.lr = lr
        self.h = {}

    def update(self, params, grads):
        for key in params:
            h = self.h.setdefault(key, np.zeros_like(params[key]))
            h += grads[key] ** 2
            params[key] -= self.lr * grads[key] / (np.sqrt(h) + 1e-6)
