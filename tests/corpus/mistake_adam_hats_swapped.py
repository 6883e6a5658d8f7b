"""Algorithm 1 Adam with the corrected moments exchanged in the step."""

import numpy as np

EXPECTED = {
    "class": "Adam",
    "verdict": "fail",
    "kind": "numeric",
    "mistake": "moments-swapped",
    "why": "the step is lr * v_hat / (sqrt(m_hat) + eps): the bias-corrected moments exchanged",
}


class Adam:
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps
        self.t = 0
        self.m, self.v = {}, {}

    def update(self, params, grads):
        self.t += 1
        with np.errstate(invalid="ignore"):
            for key in params:
                if key not in self.m:
                    self.m[key] = np.zeros_like(params[key])
                    self.v[key] = np.zeros_like(params[key])
                g = grads[key]
                self.m[key] = self.beta1 * self.m[key] + (1 - self.beta1) * g
                self.v[key] = self.beta2 * self.v[key] + (1 - self.beta2) * g * g
                m_hat = self.m[key] / (1 - self.beta1 ** self.t)
                v_hat = self.v[key] / (1 - self.beta2 ** self.t)
                params[key] -= self.lr * v_hat / (np.sqrt(m_hat) + self.eps)
