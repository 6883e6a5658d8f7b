"""AdaGrad whose accumulator dict belongs to the class: every instance shares it."""

import numpy as np

EXPECTED = {
    "class": "AdaGrad",
    "verdict": "fail",
    "kind": "state",
    "why": "h = {} at class level: a second optimizer continues the first one's accumulator",
}


class AdaGrad:
    h = {}

    def __init__(self, lr=0.01, eps=1e-7):
        self.lr, self.eps = lr, eps

    def update(self, params, grads):
        for key in params:
            if key not in self.h or np.shape(self.h[key]) != np.shape(params[key]):
                self.h[key] = np.zeros_like(params[key])
            self.h[key] = self.h[key] + grads[key] * grads[key]
            params[key] -= self.lr * grads[key] / (np.sqrt(self.h[key]) + self.eps)
