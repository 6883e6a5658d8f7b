"""Seed 004's AdaGrad with `in None` -> `is None`: the next bug shows."""

import numpy as np

EXPECTED = {
    "class": "AdaGrad",
    "verdict": "fail",
    "kind": "crash",
    "says": "self.h = {}",
    "why": "self.h is still None when self.h[key] = ... runs: the `self.h = {}` line is missing "
           "(TypeError: 'NoneType' object does not support item assignment)",
}


class AdaGrad:
    def __init__(self, lr=0.01):
        self.lr = lr
        self.h = None
        
    def update(self, params, grads):
        if self.h is None:
            for key, val in params.items():
                self.h[key] = np.zeros_like(val)
        
        for key in params.keys():
            self.h[key] += grads[key] * grads[key]
            parmas[key] -= self.lr * grads[key] / (np.sqrt(self.h[key]) + 1e-7)
