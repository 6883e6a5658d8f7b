"""Seed 004, RMSProp, exactly as written: the loop is dedented to the class body."""

import numpy as np

EXPECTED = {
    "class": "RMSProp",
    "verdict": "fail",
    "kind": "load",
    "says": "class level",
    "why": "`for key in params.keys():` at class level: the class body runs it at import and "
           "raises NameError (params)",
}


class RMSProp:
    def __init__(self, lr=0.01, decay_rate = 0.99):
        self.lr = lr
        self.decay_rate = decay_rate
        self.h = None
        
    def update(self, params, grads):
        if self.h is None:
            self.h = {}
            for key, val in params.items():
                self.h[key] = np.zeros_like(val)
            
            
    for key in params.keys():
            self.h[key] *= self.decay_rate
            self.h[key] += (1 - self.decay_rate) * grads[key] * grads[key]
            parmas[key] -= self.lr * grads[key] / (np.sqrt(self.h[key]) + 1e-7)
