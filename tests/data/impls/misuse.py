"""Things that are not an optimizer class, for the command-line misuse tests."""

import numpy as np


def adam(params, grads, lr=0.001):
    for key in params:
        params[key] -= lr * np.sign(grads[key])


Adam = 3


class MyOptimizer:
    """A correct SGD whose name says nothing about its rule."""

    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for key in params:
            params[key] -= self.lr * grads[key]
