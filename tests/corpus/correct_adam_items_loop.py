"""Adam (Kingma & Ba, Algorithm 1) written over params.items() with p -= ... on the loop variable."""

import numpy as np

EXPECTED = {
    "class": "Adam",
    "verdict": "pass",
    "variant": "adam/algorithm1",
    "inferred": {},
    "warns": "rebinds a local name and params['x'] never moves",
    "why": "for k, p in params.items(): p -= ... updates every array in place, so the numbers "
           "are right; only a Python float (the book's chapter 6 script) stays where it was, "
           "which is a warning with that cause, not a failure nor a named mistake",
}


class Adam:
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps
        self.m, self.v, self.t = None, None, 0

    def update(self, params, grads):
        if self.m is None:
            self.m = {k: np.zeros_like(v) for k, v in params.items()}
            self.v = {k: np.zeros_like(v) for k, v in params.items()}
        self.t += 1
        for k, p in params.items():
            g = grads[k]
            self.m[k] = self.beta1 * self.m[k] + (1 - self.beta1) * g
            self.v[k] = self.beta2 * self.v[k] + (1 - self.beta2) * g * g
            m_hat = self.m[k] / (1 - self.beta1 ** self.t)
            v_hat = self.v[k] / (1 - self.beta2 ** self.t)
            p -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)
