"""Seed 002's Momentum with `parmas` fixed: the next bug shows."""

import numpy as np

EXPECTED = {
    "class": "Momentum",
    "verdict": "fail",
    "kind": "crash",
    "says": "self.v[key]",
    "why": "`self.momentum * self.v` multiplies a float by the whole dict: TypeError (meant "
           "self.v[key])",
}


class Momentum:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.v = None
        
    def update(self, params: dict, grads: dict):
        if self.v is None:
            self.v = {}
            for key, val in params.items():
                self.v[key] = np.zeros_like(val)
        
        for key in params.keys():
            self.v[key] = (self.momentum * self.v) - (self.lr * grads[key])
            params[key] += self.v[key]
