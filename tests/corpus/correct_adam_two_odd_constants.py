"""Algorithm 1 Adam with two hard-coded constants no source uses: beta2 = 0.99, eps = 1e-6."""

import numpy as np

EXPECTED = {
    "class": "Adam",
    "verdict": "pass",
    "variant": "adam/algorithm1",
    "inferred": {"beta2": 0.99, "eps": 1e-6},
    "why": "Adam exactly, with a shorter second-moment memory and a larger eps written into the "
           "code; unusual constants are worth a warning, not a failure",
}


class Adam:
    def __init__(self, lr=0.001, beta1=0.9):
        self.lr = lr
        self.beta1 = beta1
        self.t = 0
        self.m, self.v = {}, {}

    def update(self, params, grads):
        self.t += 1
        for key in params:
            g = grads[key]
            self.m[key] = self.beta1 * self.m.get(key, 0.0) + (1 - self.beta1) * g
            self.v[key] = 0.99 * self.v.get(key, 0.0) + (1 - 0.99) * g * g
            m_hat = self.m[key] / (1 - self.beta1 ** self.t)
            v_hat = self.v[key] / (1 - 0.99 ** self.t)
            params[key] -= self.lr * m_hat / (np.sqrt(v_hat) + 1e-6)
