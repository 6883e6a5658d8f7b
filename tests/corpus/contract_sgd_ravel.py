"""SGD that flattens the gradient before using it."""

import numpy as np

EXPECTED = {
    "class": "SGD",
    "verdict": "fail",
    "kind": "crash",
    "why": "p -= lr * g.ravel(): works for vectors, broadcasting error for a 2-D weight matrix",
}


class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for key in params:
            params[key] -= self.lr * np.asarray(grads[key]).ravel()
