"""RMSprop with the decay weights the wrong way round."""
EXPECTED = {"class": "RMSprop", "api": "book", "verdict": "fail", "rule": "rmsprop", "why": "h = (1-rho)*h + rho*g*g keeps 99% of the new square instead of the history", "mistake": "decay swapped: (1-rho)*h + rho*g^2"}

import numpy as np


class RMSprop:
    def __init__(self, lr=0.01, decay_rate=0.99):
        self.lr = lr
        self.decay_rate = decay_rate
        self.h = None

    def update(self, params, grads):
        if self.h is None:
            self.h = {k: np.zeros_like(v) for k, v in params.items()}
        for key in params.keys():
            self.h[key] = (1 - self.decay_rate) * self.h[key] + self.decay_rate * grads[key] * grads[key]
            params[key] -= self.lr * grads[key] / (np.sqrt(self.h[key]) + 1e-7)
