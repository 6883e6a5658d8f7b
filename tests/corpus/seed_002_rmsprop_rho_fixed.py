"""Seed 002's RMSProp with rho -> self.rho: the next bug shows."""

import numpy as np

EXPECTED = {
    "class": "RMSProp",
    "verdict": "fail",
    "kind": "crash",
    "says": "argument `grads`",
    "why": "self.grads[key], the same slip as the seed's AdaGrad, now reached",
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
            self.h[key] = self.rho * self.h[key] + (1 - self.rho) * (self.grads[key] * self.grads[key])
            params[key] -= (self.lr * self.grads[key]) / (np.sqrt(self.h[key]) + 1e-7)
