"""The book's Nesterov as fixed upstream: W moves with the old velocity (Bengio et al. eq. 7)."""

import numpy as np

EXPECTED = {
    "class": "Nesterov",
    "verdict": "pass",
    "variant": "nesterov/bengio",
    "why": "W += mu*mu*v - (1+mu)*lr*g with the OLD v, then v = mu*v - lr*g",
}


class Nesterov:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.v = None

    def update(self, params, grads):
        if self.v is None:
            self.v = {}
            for key, val in params.items():
                self.v[key] = np.zeros_like(val)

        for key in params.keys():
            params[key] += self.momentum * self.momentum * self.v[key]
            params[key] -= (1 + self.momentum) * self.lr * grads[key]
            self.v[key] *= self.momentum
            self.v[key] -= self.lr * grads[key]
