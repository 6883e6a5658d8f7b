"""SGD that ends its own process, with status 0, in the middle of update."""

import os
import sys

EXPECTED = {
    "class": "SGD",
    "verdict": "fail",
    "kind": "exit",
    "why": "os._exit(0) inside update: a clean exit status must not read as success",
}


class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for key in params:
            params[key] -= self.lr * grads[key]
        sys.stdout.flush()
        os._exit(0)
