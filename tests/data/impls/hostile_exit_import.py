"""load or exit: ends the interpreter while it is being imported."""

import sys

sys.exit(0)


class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for key in params:
            params[key] -= self.lr * grads[key]
