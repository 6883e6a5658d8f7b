"""Adam with the two bias corrections exchanged: m by 1 - beta2**t, v by 1 - beta1**t."""

import numpy as np

EXPECTED = {
    "class": "Adam",
    "verdict": "fail",
    "kind": "numeric",
    "mistake": "bias-corrections-swapped",
    "why": "m_hat = m / (1 - beta2**t) and v_hat = v / (1 - beta1**t): each moment corrected "
           "with the other's decay, so the first step is about 32 times too large",
}


class Adam:
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr = lr
        self.beta1 = beta1
        self.beta2 = beta2
        self.eps = eps
        self.iter = 0
        self.m = None
        self.v = None

    def update(self, params, grads):
        if self.m is None:
            self.m = {k: np.zeros_like(v) for k, v in params.items()}
            self.v = {k: np.zeros_like(v) for k, v in params.items()}
        self.iter += 1
        for key in params.keys():
            self.m[key] += (1 - self.beta1) * (grads[key] - self.m[key])
            self.v[key] += (1 - self.beta2) * (grads[key] ** 2 - self.v[key])
            m_hat = self.m[key] / (1.0 - self.beta2 ** self.iter)
            v_hat = self.v[key] / (1.0 - self.beta1 ** self.iter)
            params[key] -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)
