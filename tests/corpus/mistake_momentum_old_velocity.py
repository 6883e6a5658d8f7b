"""Momentum that moves W before updating the velocity."""

import numpy as np

EXPECTED = {
    "class": "Momentum",
    "verdict": "fail",
    "kind": "numeric",
    "mistake": "old-velocity",
    "why": "params += v comes before v = mu v - lr g, so W moves with the previous step's velocity",
}


class Momentum:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.v = None

    def update(self, params, grads):
        if self.v is None:
            self.v = {key: np.zeros_like(val) for key, val in params.items()}
        for key in params.keys():
            params[key] += self.v[key]
            self.v[key] = self.momentum * self.v[key] - self.lr * grads[key]
