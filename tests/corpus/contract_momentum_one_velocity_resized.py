"""Momentum with one velocity, re-created whenever the next key has another shape."""

import numpy as np

EXPECTED = {
    "class": "Momentum",
    "verdict": "fail",
    "kind": "state",
    "why": "one self.v for all keys, reset when the shape changes: no crash, but a key's "
           "trajectory depends on the keys updated with it",
}


class Momentum:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.v = None

    def update(self, params, grads):
        for key in params:
            if self.v is None or np.shape(self.v) != np.shape(params[key]):
                self.v = np.zeros_like(params[key])
            self.v = self.momentum * self.v - self.lr * grads[key]
            params[key] += self.v
