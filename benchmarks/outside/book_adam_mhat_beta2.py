"""Adam where the first-moment correction uses the wrong beta."""
EXPECTED = {"class": "Adam", "api": "book", "verdict": "fail", "rule": "adam", "why": "m_hat = m / (1 - beta2**t)", "mistake": "m_hat bias-corrected with beta2 instead of beta1"}

import numpy as np


class Adam:
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999):
        self.lr = lr
        self.beta1 = beta1
        self.beta2 = beta2
        self.iter = 0
        self.m = None
        self.v = None

    def update(self, params, grads):
        if self.m is None:
            self.m = {k: np.zeros_like(p) for k, p in params.items()}
            self.v = {k: np.zeros_like(p) for k, p in params.items()}
        self.iter += 1
        for key, p in params.items():
            g = grads[key]
            self.m[key] = self.beta1 * self.m[key] + (1 - self.beta1) * g
            self.v[key] = self.beta2 * self.v[key] + (1 - self.beta2) * g ** 2
            m_hat = self.m[key] / (1 - self.beta2 ** self.iter)
            v_hat = self.v[key] / (1 - self.beta2 ** self.iter)
            p -= self.lr * m_hat / (np.sqrt(v_hat) + 1e-8)
