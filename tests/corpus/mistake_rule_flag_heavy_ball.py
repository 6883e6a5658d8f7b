"""Polyak's heavy ball under its own name, with the velocity starting at ones."""

import numpy as np

EXPECTED = {
    "class": "HeavyBall",
    "rule": "momentum",
    "verdict": "fail",
    "kind": "numeric",
    "mistake": "ones-init-v",
    "why": "judged with --rule momentum: v = np.ones_like(W) where it must start at zeros",
}


class HeavyBall:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.velocity = {}

    def update(self, params, grads):
        for key in params:
            if key not in self.velocity:
                self.velocity[key] = np.ones_like(params[key])
            self.velocity[key] = self.momentum * self.velocity[key] - self.lr * grads[key]
            params[key] += self.velocity[key]
