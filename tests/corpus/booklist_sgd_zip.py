"""SGD over lists written with zip: p -= lr * g changes each array in place."""

import numpy as np

EXPECTED = {
    "class": "SGD",
    "verdict": "pass",
    "variant": "sgd/plain",
    "not_warns": "Python float",
    "why": "for p, g in zip(params, grads): p -= lr * g updates each array in place; the list "
           "API of the second volume holds arrays only (model.params), so the Python float "
           "question of the book's chapter 6 script does not arise and is not asked",
}


class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for p, g in zip(params, grads):
            p -= self.lr * g
