"""RMSProp with no epsilon at all."""

import numpy as np

EXPECTED = {
    "class": "RMSprop",
    "verdict": "fail",
    "kind": "numeric",
    "mistake": "eps-missing",
    "why": "W -= lr g / sqrt(h): steps of lr / sqrt(1 - rho) where g is tiny, and 0/0 = NaN "
           "on a zero gradient",
    "inferred": {},
}


class RMSprop:
    def __init__(self, lr=0.01, decay_rate=0.99):
        self.lr = lr
        self.decay_rate = decay_rate
        self.h = {}

    def update(self, params, grads):
        with np.errstate(all="ignore"):
            for key in params:
                if key not in self.h:
                    self.h[key] = np.zeros_like(params[key])
                g = grads[key]
                self.h[key] = self.decay_rate * self.h[key] + (1 - self.decay_rate) * g * g
                params[key] -= self.lr * g / np.sqrt(self.h[key])
