"""SGD, straight out of the book (ch. 6): loop over params.keys()."""
EXPECTED = {"class": "SGD", "api": "book", "verdict": "pass", "rule": "sgd", "why": "book-style SGD with params[key] -= lr * grads[key] in place"}

import numpy as np


class SGD:
    """確率的勾配降下法（Stochastic Gradient Descent）"""

    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for key in params.keys():
            params[key] -= self.lr * grads[key]
