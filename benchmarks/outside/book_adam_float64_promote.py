"""Adam that does its arithmetic in float64 'for precision' and stores the
result back into the dict."""
EXPECTED = {"class": "Adam", "api": "book", "verdict": "fail", "rule": "adam", "why": "params[key] = float64 array replaces the caller's (float32) array object", "mistake": "float32 params silently promoted to float64 by rebinding params[key]"}

import numpy as np


class Adam:
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999):
        self.lr = lr
        self.beta1 = beta1
        self.beta2 = beta2
        self.t = 0
        self.m = {}
        self.v = {}

    def update(self, params, grads):
        self.t += 1
        for key in params:
            p = params[key].astype(np.float64)
            g = grads[key].astype(np.float64)
            m = self.m.get(key, 0.0)
            v = self.v.get(key, 0.0)
            m = self.beta1 * m + (1 - self.beta1) * g
            v = self.beta2 * v + (1 - self.beta2) * g * g
            self.m[key], self.v[key] = m, v
            m_hat = m / (1 - self.beta1 ** self.t)
            v_hat = v / (1 - self.beta2 ** self.t)
            params[key] = p - self.lr * m_hat / (np.sqrt(v_hat) + 1e-8)
