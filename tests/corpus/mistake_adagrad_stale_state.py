"""AdaGrad that divides by the accumulator before adding this step's square."""

import numpy as np

EXPECTED = {
    "class": "AdaGrad",
    "verdict": "fail",
    "kind": "numeric",
    "mistake": "stale-state",
    "why": "the step uses h from the previous call; h += g*g comes after the move",
}


class AdaGrad:
    def __init__(self, lr=0.01, eps=1e-7):
        self.lr, self.eps = lr, eps
        self.h = {}

    def update(self, params, grads):
        for key in params:
            h = self.h.setdefault(key, np.zeros_like(params[key]))
            params[key] -= self.lr * grads[key] / (np.sqrt(h) + self.eps)
            h += grads[key] * grads[key]
