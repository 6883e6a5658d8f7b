"""Algorithm 1 Adam with epsilon 1e-8 hard-coded (no eps argument)."""

import numpy as np

EXPECTED = {
    "class": "Adam",
    "verdict": "pass",
    "variant": "adam/algorithm1",
    "inferred": {"eps": 1e-8},
    "why": "the paper's Adam with a hard-coded 1e-8, which the checker must infer exactly",
}


class Adam:
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999):
        self.lr, self.beta1, self.beta2 = lr, beta1, beta2
        self.step = 0
        self.m = {}
        self.v = {}

    def update(self, params, grads):
        self.step += 1
        c1 = 1 - self.beta1 ** self.step
        c2 = 1 - self.beta2 ** self.step
        for key, p in params.items():
            g = grads[key]
            m = self.beta1 * self.m.get(key, 0.0) + (1 - self.beta1) * g
            v = self.beta2 * self.v.get(key, 0.0) + (1 - self.beta2) * g * g
            self.m[key], self.v[key] = m, v
            params[key] -= self.lr * (m / c1) / (np.sqrt(v / c2) + 1e-8)
