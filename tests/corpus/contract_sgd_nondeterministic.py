"""SGD that picks one of two roundings of its step at random."""

import random

EXPECTED = {
    "class": "SGD",
    "verdict": "fail",
    "kind": "deterministic",
    "why": "the step is sometimes lr * g, sometimes lr * g * (1 + 2**-52): each within the "
           "rounding bound, but two runs on the same inputs disagree",
    "not_kinds": ["state"],
}


class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for key in params:
            step = self.lr * grads[key]
            if random.random() < 0.5:
                step = step * (1 + 2.0 ** -52)
            params[key] -= step
