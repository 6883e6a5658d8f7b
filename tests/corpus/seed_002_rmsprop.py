"""Seed 002, cell In [4] (second class): RMSProp, exactly as written."""

import numpy as np

EXPECTED = {
    "class": "RMSProp",
    "verdict": "fail",
    "kind": "crash",
    "says": "self.rho",
    "why": "bare `rho` in update: the constructor stored it as self.rho (NameError)",
}


# RMSProp : AdaGrad + h에다가 지수평균을 도입
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
            self.h[key] = rho * self.h[key] + (1 - rho) * (self.grads[key] * self.grads[key])
            params[key] -= (self.lr * self.grads[key]) / (np.sqrt(self.h[key]) + 1e-7)
