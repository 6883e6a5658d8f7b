"""PyTorch-style Nesterov that moves W before updating its buffer."""

import numpy as np

EXPECTED = {
    "class": "Nesterov",
    "verdict": "fail",
    "kind": "numeric",
    "mistake": "old-velocity",
    "why": "W -= lr (g + mu b) with the buffer of the previous step, b = mu b + g afterwards",
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
            params[key] -= self.lr * (g + self.momentum * self.buf[key])
            self.buf[key] = self.momentum * self.buf[key] + g
