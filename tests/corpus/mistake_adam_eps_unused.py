"""Adam that takes eps and never uses it."""

import numpy as np

EXPECTED = {
    "class": "Adam",
    "verdict": "fail",
    "kind": "numeric",
    "mistake": "eps-missing",
    "why": "W -= lr m_hat / sqrt(v_hat): the eps argument is stored and forgotten",
}


class Adam:
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps
        self.t = 0
        self.m, self.v = {}, {}

    def update(self, params, grads):
        self.t += 1
        with np.errstate(all="ignore"):
            for key in params:
                g = grads[key]
                self.m[key] = self.beta1 * self.m.get(key, 0.0) + (1 - self.beta1) * g
                self.v[key] = self.beta2 * self.v.get(key, 0.0) + (1 - self.beta2) * g * g
                m_hat = self.m[key] / (1 - self.beta1 ** self.t)
                v_hat = self.v[key] / (1 - self.beta2 ** self.t)
                params[key] -= self.lr * m_hat / np.sqrt(v_hat)
