"""Nesterov; state setup done with a match on the state lookup (Python 3.10+)."""
EXPECTED = {"class": "Nesterov", "api": "book", "verdict": "pass", "rule": "nesterov", "why": "match statement on state lookup, v_prev formula in place"}

import numpy as np


class Nesterov:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.velocity = {}

    def update(self, params, grads):
        for key in params:
            match self.velocity.get(key):
                case None:
                    v = np.zeros_like(params[key])
                case existing:
                    v = existing
            v_prev = v
            v = self.momentum * v_prev - self.lr * grads[key]
            self.velocity[key] = v
            params[key] += (1 + self.momentum) * v - self.momentum * v_prev
