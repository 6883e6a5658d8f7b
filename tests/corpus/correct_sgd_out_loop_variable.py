"""SGD through out= buffers: correct on arrays; a Python float parameter would raise."""

import numpy as np

EXPECTED = {
    "class": "SGD",
    "verdict": "pass",
    "variant": "sgd/plain",
    "warns": "np.subtract(p, self.lr * grads[key], out=p)",
    "why": "np.subtract(p, step, out=p) is right on arrays, which is what the numbers are "
           "judged on; with a Python float (the book's chapter 6 script) it raises TypeError, "
           "a warning naming that line, never a failure",
}


class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for key, p in params.items():
            np.subtract(p, self.lr * grads[key], out=p)
