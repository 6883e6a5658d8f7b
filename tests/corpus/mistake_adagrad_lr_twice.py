"""AdaGrad that accumulates the scaled gradient and scales again."""

import numpy as np

EXPECTED = {
    "class": "AdaGrad",
    "verdict": "fail",
    "kind": "numeric",
    "mistake": "lr-twice",
    "why": "W -= lr * (lr * g) / (sqrt(h) + eps): the learning rate applied twice",
}


class AdaGrad:
    def __init__(self, lr=0.01, eps=1e-7):
        self.lr, self.eps = lr, eps
        self.h = {}

    def update(self, params, grads):
        for key in params:
            if key not in self.h:
                self.h[key] = np.zeros_like(params[key])
            self.h[key] += grads[key] * grads[key]
            scaled = self.lr * grads[key]
            params[key] -= self.lr * scaled / (np.sqrt(self.h[key]) + self.eps)
