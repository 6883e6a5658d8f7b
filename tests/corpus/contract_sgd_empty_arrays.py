"""SGD with a gradient check that cannot handle zero-size parameters."""

import numpy as np

EXPECTED = {
    "class": "SGD",
    "verdict": "fail",
    "kind": "crash",
    "why": "np.abs(g).max() raises ValueError on a zero-size array (an empty layer)",
}


class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for key in params:
            largest = np.abs(np.asarray(grads[key])).max()
            if not np.isfinite(largest):
                raise FloatingPointError(f"gradient of {key} is not finite")
            params[key] -= self.lr * grads[key]
