"""RMSProp that steps with the previous average and only then folds in the new gradient."""

import numpy as np

EXPECTED = {
    "class": "RMSprop",
    "verdict": "fail",
    "kind": "numeric",
    "mistake": "stale-state",
    "why": "W moves with h from the previous step; at the first step h = 0, so every step is "
           "lr g / eps, huge",
}


class RMSprop:
    def __init__(self, lr=0.01, decay_rate=0.99, eps=1e-7):
        self.lr, self.decay_rate, self.eps = lr, decay_rate, eps
        self.h = {}

    def update(self, params, grads):
        for key in params:
            if key not in self.h:
                self.h[key] = np.zeros_like(params[key])
            g = grads[key]
            params[key] -= self.lr * g / (np.sqrt(self.h[key]) + self.eps)
            self.h[key] = self.decay_rate * self.h[key] + (1 - self.decay_rate) * g * g
