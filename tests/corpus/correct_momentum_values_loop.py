"""PyTorch-style momentum (a buffer without lr) written over zip(params.values(), ...) loop variables."""

import numpy as np

EXPECTED = {
    "class": "Momentum",
    "verdict": "pass",
    "variant": "momentum/pytorch",
    "warns": "params['x'] never moves",
    "why": "b = mu b + g; p -= lr * b on the loop variable is right on arrays; a Python float "
           "parameter is only a warning",
}


class Momentum:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.buf = {}

    def update(self, params, grads):
        for key, p in params.items():
            b = self.buf.get(key)
            if b is None:
                b = self.buf[key] = np.zeros_like(p)
            b *= self.momentum
            b += grads[key]
            p -= self.lr * b
