"""SGD that does its arithmetic in float32 whatever the parameter's dtype."""

import numpy as np

EXPECTED = {
    "class": "SGD",
    "verdict": "fail",
    "kind": "numeric",
    "why": "lr and g cast to float32: a float64 parameter gets steps with float32 rounding "
           "errors, millions of ULPs off",
}


class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for key in params:
            params[key] -= np.float32(self.lr) * np.asarray(grads[key], dtype=np.float32)
