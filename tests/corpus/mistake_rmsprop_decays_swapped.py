"""RMSProp that keeps (1 - rho) of the old average and adds rho of the new square."""

import numpy as np

EXPECTED = {
    "class": "RMSProp",
    "verdict": "fail",
    "kind": "numeric",
    "mistake": "decays-swapped-h",
    "why": "h = (1 - rho) h + rho g^2: the two decays of the moving average exchanged",
}


class RMSProp:
    def __init__(self, lr=0.01, decay_rate=0.99, eps=1e-7):
        self.lr, self.decay_rate, self.eps = lr, decay_rate, eps
        self.h = {}

    def update(self, params, grads):
        for key in params:
            if key not in self.h:
                self.h[key] = np.zeros_like(params[key])
            g = grads[key]
            self.h[key] = (1 - self.decay_rate) * self.h[key] + self.decay_rate * g * g
            params[key] -= self.lr * g / (np.sqrt(self.h[key]) + self.eps)
