"""Adam whose optional hyper-parameters are keyword-only and listed in an
unusual order; call it as Adam(lr=..., beta2=..., beta1=...)."""
EXPECTED = {"class": "Adam", "api": "book", "verdict": "pass", "rule": "adam", "why": "keyword-only betas in unusual order (beta2 before beta1), paper maths"}

import numpy as np


class Adam:
    def __init__(self, lr=0.001, *, beta2=0.999, beta1=0.9, eps=1e-8):
        self.beta2 = beta2
        self.lr = lr
        self.beta1 = beta1
        self.eps = eps
        self.step_count = 0
        self.state = {}

    def update(self, params, grads):
        self.step_count += 1
        t = self.step_count
        for key in params.keys():
            if key not in self.state:
                self.state[key] = (np.zeros_like(params[key]), np.zeros_like(params[key]))
            m, v = self.state[key]
            g = grads[key]
            m[...] = self.beta1 * m + (1 - self.beta1) * g
            v[...] = self.beta2 * v + (1 - self.beta2) * np.square(g)
            m_hat = m / (1 - self.beta1 ** t)
            v_hat = v / (1 - self.beta2 ** t)
            params[key] -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)
