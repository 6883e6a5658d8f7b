"""Nesterov as PyTorch's SGD(momentum=0.9, nesterov=True): buffer form, lr applied outside."""

import numpy as np

EXPECTED = {
    "class": "Nesterov",
    "verdict": "pass",
    "variant": "nesterov/pytorch",
    "why": "b = mu b + g; W -= lr (g + mu b): PyTorch's buffer form of Nesterov momentum",
}


class Nesterov:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.buf = {}

    def update(self, params, grads):
        for key in params:
            if key not in self.buf:
                self.buf[key] = np.zeros_like(params[key])
            g = grads[key]
            self.buf[key] = self.momentum * self.buf[key] + g
            params[key] -= self.lr * (g + self.momentum * self.buf[key])
