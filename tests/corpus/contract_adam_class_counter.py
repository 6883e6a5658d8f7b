"""Adam whose step counter is a class attribute, advanced as Adam.t += 1."""

import numpy as np

EXPECTED = {
    "class": "Adam",
    "verdict": "fail",
    "kind": "state",
    "slow": True,
    "why": "Adam.t belongs to the class: a second optimizer starts at the first one's t, so "
           "its bias correction is wrong from its first step",
}


class Adam:
    t = 0

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps
        self.m, self.v = {}, {}

    def update(self, params, grads):
        Adam.t += 1
        t = Adam.t
        for key in params:
            g = grads[key]
            self.m[key] = self.beta1 * self.m.get(key, 0.0) + (1 - self.beta1) * g
            self.v[key] = self.beta2 * self.v.get(key, 0.0) + (1 - self.beta2) * g * g
            m_hat = self.m[key] / (1 - self.beta1 ** t)
            v_hat = self.v[key] / (1 - self.beta2 ** t)
            params[key] -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)
