"""RMSprop as PyTorch writes it: alpha, eps = 1e-8, square_avg.mul_(alpha).addcmul_(g, g, 1 - alpha)."""

import numpy as np

EXPECTED = {
    "class": "RMSprop",
    "verdict": "pass",
    "variant": "rmsprop/eps_outside",
    "why": "PyTorch's names: alpha (an alias of decay_rate), square_avg decayed in place",
}


class RMSprop:
    def __init__(self, lr=0.01, alpha=0.99, eps=1e-8):
        self.lr, self.alpha, self.eps = lr, alpha, eps
        self.square_avg = {}

    def update(self, params, grads):
        for key in params:
            g = grads[key]
            avg = self.square_avg.setdefault(key, np.zeros_like(params[key]))
            avg *= self.alpha
            avg += (1 - self.alpha) * g * g
            params[key] -= self.lr * g / (np.sqrt(avg) + self.eps)
