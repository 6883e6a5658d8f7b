"""AdaGrad over lists written with zip over params, grads and the state list."""

import numpy as np

EXPECTED = {
    "class": "AdaGrad",
    "verdict": "pass",
    "variant": "adagrad/eps_outside",
    "inferred": {"eps": 1e-7},
    "not_warns": "Python float",
    "why": "for p, g, h in zip(params, grads, self.h): p -= ... changes each array in place; the "
           "list API holds arrays, so no Python float warning is due",
}


class AdaGrad:
    def __init__(self, lr=0.01):
        self.lr = lr
        self.h = None

    def update(self, params, grads):
        if self.h is None:
            self.h = [np.zeros_like(p) for p in params]
        for p, g, h in zip(params, grads, self.h):
            h += g * g
            p -= self.lr * g / (np.sqrt(h) + 1e-7)
