"""SGD that adds unseeded noise to its step (a Langevin idea gone wrong)."""

import numpy as np

EXPECTED = {
    "class": "SGD",
    "verdict": "fail",
    "kind": "numeric",
    "why": "a random 1e-9 relative jitter on every step: wrong against the oracle, and two runs "
           "disagree",
}


class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr
        self.rng = np.random.default_rng()

    def update(self, params, grads):
        for key in params:
            jitter = 1 + 1e-9 * self.rng.standard_normal(np.shape(params[key]))
            params[key] -= self.lr * grads[key] * jitter
