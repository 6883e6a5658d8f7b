"""Seed 002, cell In [4]: AdaGrad, exactly as written."""

import numpy as np

EXPECTED = {
    "class": "AdaGrad",
    "verdict": "fail",
    "kind": "crash",
    "says": "argument `grads`",
    "why": "self.grads[key]: the gradients are the argument grads, never an attribute",
}


# AdaGrad : 학습률을 조정. 
# 학습률 조정하는 h값은 기울기값을 제곱한 값! 
# 그러므로 h값이 크다면 엄청 많이 움직였다는 것! 그래서 이것을 1/sqrt(h)로 해서 큰h값은 작게 움직이도록 설정!

class AdaGrad:
    def __init__(self, lr=0.01):
        self.lr = lr
        self.h = None
        
    def update(self, params: dict, grads: dict):
        if self.h is None:
            self.h = {}
            for key, val in params.items():
                self.h[key] = np.zeros_like(val)
                
        for key in params.keys():
            self.h[key] += self.grads[key] * self.grads[key]
            params[key] -= (self.lr * self.grads[key]) / (np.sqrt(self.h[key]) + 1e-7)
