"""Algorithm 1 Adam with beta2 = 0.99 written into the code (no source uses it)."""

import numpy as np

EXPECTED = {
    "class": "Adam",
    "verdict": "pass",
    "variant": "adam/algorithm1",
    "inferred": {"beta2": 0.99},
    "why": "one unusual hard-coded constant: the checker solves for it and snaps it to 0.99",
}


class Adam:
    def __init__(self, lr=0.001, beta1=0.9, eps=1e-8):
        self.lr, self.beta1, self.eps = lr, beta1, eps
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
            params[key] -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)
