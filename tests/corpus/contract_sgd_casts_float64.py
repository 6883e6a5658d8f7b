"""SGD that upcasts every parameter to float64."""

import numpy as np

EXPECTED = {
    "class": "SGD",
    "verdict": "fail",
    "kind": "dtype",
    "why": "params[key] = params[key].astype(np.float64) - ...: float32 parameters come back "
           "float64 (and rebound)",
}


class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for key in params:
            params[key] = np.asarray(params[key]).astype(np.float64) \
                - self.lr * np.asarray(grads[key]).astype(np.float64)
