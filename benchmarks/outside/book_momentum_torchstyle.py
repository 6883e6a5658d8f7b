"""Momentum written the PyTorch way: buf = mu*buf + g; W -= lr*buf.

Same trajectory as the book's v = mu*v - lr*g (v == -lr*buf) as long as lr is constant.
"""
EXPECTED = {"class": "Momentum", "api": "book", "verdict": "pass", "rule": "momentum", "why": "PyTorch-form momentum buffer b = mu*b + g, W -= lr*b"}

import numpy as np


class Momentum:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.buf = {}

    def update(self, params, grads):
        for key in params:
            g = grads[key]
            if key not in self.buf:
                self.buf[key] = np.array(g, copy=True)
            else:
                b = self.buf[key]
                b *= self.momentum
                b += g
            params[key] -= self.lr * self.buf[key]
