"""Adam exactly as Algorithm 1 of Kingma & Ba (2015), with m_hat and v_hat."""
EXPECTED = {"class": "Adam", "api": "book", "verdict": "pass", "rule": "adam", "why": "paper Algorithm 1 with explicit m_hat, v_hat and eps=1e-8"}

import numpy as np


class Adam:
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr = lr
        self.beta1 = beta1
        self.beta2 = beta2
        self.eps = eps
        self.t = 0
        self.m = {}
        self.v = {}

    def update(self, params, grads):
        self.t += 1
        b1, b2, t = self.beta1, self.beta2, self.t
        for key in params:
            g = grads[key]
            if key not in self.m:
                self.m[key] = np.zeros_like(params[key])
                self.v[key] = np.zeros_like(params[key])
            self.m[key] = b1 * self.m[key] + (1 - b1) * g
            self.v[key] = b2 * self.v[key] + (1 - b2) * (g * g)
            m_hat = self.m[key] / (1 - b1 ** t)
            v_hat = self.v[key] / (1 - b2 ** t)
            params[key] -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)
