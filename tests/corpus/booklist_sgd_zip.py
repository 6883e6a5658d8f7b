"""SGD over lists written with zip: p -= lr * g changes arrays, but a Python float never moves."""

import numpy as np

EXPECTED = {
    "class": "SGD",
    "verdict": "fail",
    "kind": "numeric",
    "says": "Python float",
    "why": "for p, g in zip(params, grads): p -= lr * g updates an array in place, but for a "
           "Python float it only rebinds the loop variable, so the list keeps the old value "
           "(params[i] -= ... would work for both)",
}


class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for p, g in zip(params, grads):
            p -= self.lr * g
