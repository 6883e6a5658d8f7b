"""SGD through out= buffers that forgets a parameter can be a Python float."""

import numpy as np

EXPECTED = {
    "class": "SGD",
    "verdict": "fail",
    "kind": "crash",
    "why": "np.subtract(p, step, out=p) with p a Python float raises TypeError: the book's "
           "comparison script passes floats, which only rebinding can update",
}


class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for key, p in params.items():
            np.subtract(p, self.lr * grads[key], out=p)
