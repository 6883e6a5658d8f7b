"""Momentum as PyTorch's SGD(momentum=0.9) does it: the buffer holds gradients, lr applied after."""

import numpy as np

EXPECTED = {
    "class": "Momentum",
    "verdict": "pass",
    "variant": "momentum/pytorch",
    "why": "b = mu b + g; W -= lr b: equal to the book's form while lr is constant, "
           "told apart by a change of lr",
}


class Momentum:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.momentum_buffer = {}

    def update(self, params, grads):
        for key, p in params.items():
            g = grads[key]
            buf = self.momentum_buffer.get(key)
            if buf is None:
                buf = self.momentum_buffer[key] = np.array(g, copy=True)
            else:
                buf *= self.momentum
                buf += g
            params[key] -= self.lr * buf
