"""Deep Learning from Scratch 2's Nesterov fixed as the first volume was: old v first."""

import numpy as np

EXPECTED = {
    "class": "Nesterov",
    "verdict": "pass",
    "variant": "nesterov/bengio",
    "why": "W += mu*mu*v - (1+mu) lr g with the OLD v, then v = mu v - lr g (Bengio et al. "
           "eq. 7), over list positions",
}


class Nesterov:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.v = None

    def update(self, params, grads):
        if self.v is None:
            self.v = []
            for param in params:
                self.v.append(np.zeros_like(param))

        for i in range(len(params)):
            params[i] += self.momentum * self.momentum * self.v[i]
            params[i] -= (1 + self.momentum) * self.lr * grads[i]
            self.v[i] *= self.momentum
            self.v[i] -= self.lr * grads[i]
