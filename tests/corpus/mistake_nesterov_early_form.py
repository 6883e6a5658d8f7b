"""The book's early Nesterov: the velocity is updated first, then W moves with the NEW one."""

import numpy as np

EXPECTED = {
    "class": "Nesterov",
    "verdict": "fail",
    "kind": "numeric",
    "mistake": "nesterov-early-form",
    "why": "v = mu v - lr g first, then W += mu*mu*v - (1+mu)*lr*g with the new v (an early "
           "printing of the book, fixed upstream)",
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
            self.v[key] *= self.momentum
            self.v[key] -= self.lr * grads[key]
            params[key] += self.momentum * self.momentum * self.v[key]
            params[key] -= (1 + self.momentum) * self.lr * grads[key]
