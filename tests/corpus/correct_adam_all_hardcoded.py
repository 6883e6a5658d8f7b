"""Adam whose only argument is lr: beta1, beta2 and eps are written into the code."""

import numpy as np

EXPECTED = {
    "class": "Adam",
    "verdict": "pass",
    "variant": "adam/algorithm1",
    "inferred": {"beta1": 0.9, "beta2": 0.999, "eps": 1e-8},
    "why": "0.9, 0.999 and 1e-8 hard-coded: the sources' values, all inferred exactly",
}


class Adam:
    def __init__(self, lr=0.001):
        self.lr = lr
        self.t = 0
        self.m, self.v = {}, {}

    def update(self, params, grads):
        self.t += 1
        for key in params:
            g = grads[key]
            self.m[key] = 0.9 * self.m.get(key, 0.0) + 0.1 * g
            self.v[key] = 0.999 * self.v.get(key, 0.0) + 0.001 * g * g
            m_hat = self.m[key] / (1 - 0.9 ** self.t)
            v_hat = self.v[key] / (1 - 0.999 ** self.t)
            params[key] -= self.lr * m_hat / (np.sqrt(v_hat) + 1e-8)
