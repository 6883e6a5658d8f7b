"""Adam whose every step is 1e-6 too large, relatively: invisible to rtol = 1e-7 on W."""

import numpy as np

EXPECTED = {
    "class": "Adam",
    "verdict": "fail",
    "kind": "numeric",
    "why": "the step is scaled by (1 + 1e-6), e.g. a lr stored as 0.001001; next to a parameter "
           "a thousand times larger the error is 1e-9 of W, which a parameter comparison with "
           "rtol = 1e-7 cannot see and an update comparison does",
}


class Adam:
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps
        self.t, self.m, self.v = 0, {}, {}

    def update(self, params, grads):
        self.t += 1
        for key in params:
            m = self.m.setdefault(key, np.zeros_like(params[key]))
            v = self.v.setdefault(key, np.zeros_like(params[key]))
            self.m[key] = self.beta1 * m + (1 - self.beta1) * grads[key]
            self.v[key] = self.beta2 * v + (1 - self.beta2) * grads[key] ** 2
            m_hat = self.m[key] / (1 - self.beta1 ** self.t)
            v_hat = self.v[key] / (1 - self.beta2 ** self.t)
            params[key] -= self.lr * (1 + 1e-6) * m_hat / (np.sqrt(v_hat) + self.eps)
