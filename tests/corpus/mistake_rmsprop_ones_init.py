"""RMSProp whose average starts at ones, with epsilon outside the root."""

import numpy as np

EXPECTED = {
    "class": "RMSprop",
    "verdict": "fail",
    "kind": "numeric",
    "mistake": "ones-init-h",
    "why": "h starts at 1 as TensorFlow 1 does, but with eps outside the root: no recognised "
           "variant does both",
}


class RMSprop:
    def __init__(self, lr=0.01, decay_rate=0.99, eps=1e-8):
        self.lr, self.decay_rate, self.eps = lr, decay_rate, eps
        self.h = None

    def update(self, params, grads):
        if self.h is None:
            self.h = {key: np.ones_like(val) for key, val in params.items()}
        for key in params:
            self.h[key] *= self.decay_rate
            self.h[key] += (1 - self.decay_rate) * grads[key] * grads[key]
            params[key] -= self.lr * grads[key] / (np.sqrt(self.h[key]) + self.eps)
