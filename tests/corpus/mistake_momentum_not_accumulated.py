"""Momentum whose velocity forgets its past."""

import numpy as np

EXPECTED = {
    "class": "Momentum",
    "verdict": "fail",
    "kind": "numeric",
    "mistake": "not-accumulated-v",
    "why": "v = -lr * g: the mu * v term is dropped, so it is SGD with extra steps",
}


class Momentum:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.v = {}

    def update(self, params, grads):
        for key in params:
            self.v[key] = -self.lr * grads[key]
            params[key] += self.v[key]
