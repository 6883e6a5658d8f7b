"""Adam that uses its step counter before advancing it: t = 0 on the first step."""

import numpy as np

EXPECTED = {
    "class": "Adam",
    "verdict": "fail",
    "kind": "nonfinite",
    "mistake": "t-used-before-advanced",
    "why": "the bias correction uses t before t += 1, so the first step divides 0 by 1 - beta**0 = 0",
}


class Adam:
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps
        self.t = 0
        self.m, self.v = {}, {}

    def update(self, params, grads):
        with np.errstate(all="ignore"):
            for key in params:
                if key not in self.m:
                    self.m[key] = np.zeros_like(params[key])
                    self.v[key] = np.zeros_like(params[key])
                g = grads[key]
                self.m[key] = self.beta1 * self.m[key] + (1 - self.beta1) * g
                self.v[key] = self.beta2 * self.v[key] + (1 - self.beta2) * g * g
                m_hat = self.m[key] / np.float64(1 - self.beta1 ** self.t)
                v_hat = self.v[key] / np.float64(1 - self.beta2 ** self.t)
                params[key] -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)
        self.t += 1
