"""SGD with a (harmless) Python 3.10 match statement to validate the lr argument."""
EXPECTED = {"class": "SGD", "api": "book", "verdict": "pass", "rule": "sgd", "why": "match statement only used for argument validation; update is plain in-place SGD"}

import numpy as np


class SGD:
    def __init__(self, lr=0.01):
        match lr:
            case int() | float():
                self.lr = float(lr)
            case np.floating():
                self.lr = float(lr)
            case _:
                raise TypeError(f"lr must be a number, got {type(lr)!r}")

    def update(self, params, grads):
        for k in list(params):
            params[k] -= self.lr * grads[k]
