"""RMSProp whose average is only this step's share of g^2."""

import numpy as np

EXPECTED = {
    "class": "RMSprop",
    "verdict": "fail",
    "kind": "numeric",
    "mistake": "not-accumulated-h",
    "why": "h = (1 - rho) g^2: the rho * h term is dropped",
}


class RMSprop:
    def __init__(self, lr=0.01, decay_rate=0.99, eps=1e-7):
        self.lr, self.decay_rate, self.eps = lr, decay_rate, eps
        self.h = {}

    def update(self, params, grads):
        for key in params:
            self.h[key] = (1 - self.decay_rate) * grads[key] ** 2
            params[key] -= self.lr * grads[key] / (np.sqrt(self.h[key]) + self.eps)
