"""Algorithm 1 Adam that keeps float32 parameters float32 (state in the parameter's dtype)."""

import numpy as np

EXPECTED = {
    "class": "Adam",
    "verdict": "pass",
    "variant": "adam/algorithm1",
    "why": "moments allocated with the parameter's dtype and Python-float scalars, so float32 "
           "arithmetic stays float32 and within the float32 bound",
}


class Adam:
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps
        self.t = 0
        self.m, self.v = {}, {}

    def update(self, params, grads):
        self.t += 1
        bc1 = 1.0 - self.beta1 ** self.t
        bc2 = 1.0 - self.beta2 ** self.t
        for key in params:
            p = params[key]
            if key not in self.m:
                self.m[key] = np.zeros(np.shape(p), dtype=np.result_type(p, np.float32))
                self.v[key] = np.zeros(np.shape(p), dtype=np.result_type(p, np.float32))
            g = grads[key]
            self.m[key] *= self.beta1
            self.m[key] += (1.0 - self.beta1) * g
            self.v[key] *= self.beta2
            self.v[key] += (1.0 - self.beta2) * (g * g)
            denom = np.sqrt(self.v[key] / bc2) + self.eps
            params[key] -= self.lr * (self.m[key] / bc1) / denom
