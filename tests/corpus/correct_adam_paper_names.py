"""Adam with Algorithm 1's own names: alpha is the step size, epsilon the fuzz term."""

import numpy as np

EXPECTED = {
    "class": "Adam",
    "verdict": "pass",
    "variant": "adam/algorithm1",
    "inferred": {},
    "why": "Kingma and Ba call the step size alpha; state built lazily with dict.get",
}


class Adam:
    def __init__(self, alpha=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8):
        self.alpha = alpha
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.t = 0
        self.m = {}
        self.v = {}

    def update(self, params, grads):
        self.t += 1
        for k in params:
            g = grads[k]
            self.m[k] = self.beta1 * self.m.get(k, 0.0) + (1 - self.beta1) * g
            self.v[k] = self.beta2 * self.v.get(k, 0.0) + (1 - self.beta2) * g * g
            m_hat = self.m[k] / (1 - self.beta1 ** self.t)
            v_hat = self.v[k] / (1 - self.beta2 ** self.t)
            params[k] -= self.alpha * m_hat / (np.sqrt(v_hat) + self.epsilon)
