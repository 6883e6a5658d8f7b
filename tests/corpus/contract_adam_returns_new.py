"""Adam in a functional style: returns new parameters and leaves the dict alone."""

import numpy as np

EXPECTED = {
    "class": "Adam",
    "verdict": "fail",
    "kind": "inplace",
    "why": "update returns a new dict of parameters; the caller's params never change",
}


class Adam:
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps
        self.t = 0
        self.m, self.v = {}, {}

    def update(self, params, grads):
        self.t += 1
        new = {}
        for key, p in params.items():
            g = grads[key]
            m = self.beta1 * self.m.get(key, 0.0) + (1 - self.beta1) * g
            v = self.beta2 * self.v.get(key, 0.0) + (1 - self.beta2) * g * g
            self.m[key], self.v[key] = m, v
            m_hat = m / (1 - self.beta1 ** self.t)
            v_hat = v / (1 - self.beta2 ** self.t)
            new[key] = p - self.lr * m_hat / (np.sqrt(v_hat) + self.eps)
        return new
