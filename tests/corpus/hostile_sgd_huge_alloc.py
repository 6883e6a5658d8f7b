"""SGD that asks for a petabyte."""

import numpy as np

EXPECTED = {
    "class": "SGD",
    "verdict": "fail",
    "kind": "crash",
    "why": "np.ones(2**50 bytes) raises MemoryError (the worker's memory is limited)",
}


class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        self.scratch = np.ones((1 << 50,), dtype=np.uint8)
        for key in params:
            params[key] -= self.lr * grads[key]
