"""AdaGrad with PyTorch's defaults (eps = 1e-10) and state dicts made empty in __init__."""

import numpy as np

EXPECTED = {
    "class": "Adagrad",
    "verdict": "pass",
    "variant": "adagrad/eps_outside",
    "why": "state created in __init__ as an empty dict, filled per key on first use; PyTorch's eps",
}


class Adagrad:
    def __init__(self, lr=0.01, eps=1e-10):
        self.lr = lr
        self.eps = eps
        self.state_sum = {}

    def update(self, params, grads):
        for key in params:
            if key not in self.state_sum:
                self.state_sum[key] = np.zeros_like(params[key])
            g = grads[key]
            self.state_sum[key] = self.state_sum[key] + g * g
            std = np.sqrt(self.state_sum[key]) + self.eps
            params[key] -= self.lr * (g / std)
