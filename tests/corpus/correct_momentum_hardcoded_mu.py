"""Momentum with mu = 0.95 written into the code."""

EXPECTED = {
    "class": "Momentum",
    "verdict": "pass",
    "variant": "momentum/book",
    "inferred": {"momentum": 0.95},
    "why": "the momentum coefficient hard-coded (and a velocity that starts as the float 0.0)",
}


class Momentum:
    def __init__(self, lr=0.01):
        self.lr = lr
        self.v = {}

    def update(self, params, grads):
        for key in params:
            self.v[key] = 0.95 * self.v.get(key, 0.0) - self.lr * grads[key]
            params[key] += self.v[key]
