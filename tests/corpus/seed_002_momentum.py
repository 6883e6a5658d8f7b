"""Seed 002 (a Korean notebook export), cell In [2]: Momentum, exactly as written."""

import numpy as np

EXPECTED = {
    "class": "Momentum",
    "verdict": "fail",
    "kind": "crash",
    "says": "did you mean `params`",
    "why": "`for key in parmas.keys()`: a misspelt name, NameError on the first update",
}


# Momentum : 현재의 Gradient로 갱신할 때, 과거의 Gradient로 고려 -> 변수 v(Velocity)의 역할!
class Momentum:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.v = None
        
    def update(self, params: dict, grads: dict):
        if self.v is None:
            self.v = {}
            for key, val in params.items():
                self.v[key] = np.zeros_like(val)
        
        for key in parmas.keys():
            self.v[key] = (self.momentum * self.v) - (self.lr * grads[key])
            params[key] += self.v[key]
