"""A module that exits as soon as it is imported."""

import sys

EXPECTED = {
    "class": "SGD",
    "verdict": "fail",
    "kind": ["load", "exit"],
    "why": "sys.exit(0) at import: the class never exists, and exit status 0 must not pass",
}

sys.exit(0)


class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for key in params:
            params[key] -= self.lr * grads[key]
