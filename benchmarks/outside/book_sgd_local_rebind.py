"""SGD iterating over items() and rebinding the loop variable."""
EXPECTED = {"class": "SGD", "api": "book", "verdict": "fail", "rule": "sgd", "why": "p = p - lr*g rebinds the local name only; params untouched", "mistake": "for k, p in params.items(): p = p - lr*g (local rebind, no update)"}

import numpy as np


class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for k, p in params.items():
            p = p - self.lr * grads[k]
