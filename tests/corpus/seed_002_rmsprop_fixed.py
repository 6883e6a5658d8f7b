"""Seed 002's RMSProp with both bugs fixed."""

import numpy as np

EXPECTED = {
    "class": "RMSProp",
    "verdict": "pass",
    "variant": "rmsprop/eps_outside",
    "inferred": {"eps": 1e-7},
    "why": "self.rho and grads: RMSProp with rho = 0.9 and the book's hard-coded 1e-7",
}


class RMSProp:
    def __init__(self, lr=0.01, rho=0.9):
        self.lr = lr
        self.rho = rho
        self.h = None
        
    def update(self, params: dict, grads: dict):
        if self.h is None:
            self.h = {}
            for key, val in params.items():
                self.h[key] = np.zeros_like(val)
        
        for key in params.keys():
            self.h[key] = self.rho * self.h[key] + (1 - self.rho) * (grads[key] * grads[key])
            params[key] -= (self.lr * grads[key]) / (np.sqrt(self.h[key]) + 1e-7)
