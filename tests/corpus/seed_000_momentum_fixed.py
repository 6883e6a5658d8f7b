"""Seed 000, Momentum with its one bug fixed (self.momentum.v -> self.momentum * self.v)."""

import numpy as np

EXPECTED = {
    "class": "Momentum",
    "verdict": "pass",
    "variant": "momentum/book",
    "why": "with `self.momentum * self.v[key]` the seed's Momentum is the book's",
}


class Momentum:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.v = None
    
    def update(self, params, grads):
        if self.v is None:
            self.v = {}
            for key, val in params.items():
                self.v[key] = np.zeros_like(val)
                
        for key in params.keys():
            self.v[key] = self.momentum * self.v[key] - self.lr*grads[key]
            params[key] += self.v[key]
