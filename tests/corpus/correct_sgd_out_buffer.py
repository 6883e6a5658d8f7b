"""SGD written with a ufunc's out= buffer instead of -=."""

import numpy as np

EXPECTED = {
    "class": "SGD",
    "verdict": "pass",
    "variant": "sgd/plain",
    "why": "np.subtract(p, step, out=p) updates in place just as -= does",
}


class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for key, p in params.items():
            if isinstance(p, np.ndarray):
                np.subtract(p, self.lr * grads[key], out=p)
            else:  # a Python float cannot be updated in place: rebind it
                params[key] = p - self.lr * grads[key]
