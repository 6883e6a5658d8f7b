"""AdaGrad that uses @ where it meant elementwise *."""

import numpy as np

EXPECTED = {
    "class": "AdaGrad",
    "verdict": "fail",
    "kind": "numeric",
    "why": "h += g @ g.T: for a 1-D gradient that is the dot product g.g, which += broadcasts "
           "into every element, so no shape error, only wrong numbers",
}


class AdaGrad:
    def __init__(self, lr=0.01, eps=1e-7):
        self.lr, self.eps = lr, eps
        self.h = {}

    def update(self, params, grads):
        for key in params:
            g = grads[key]
            if key not in self.h:
                self.h[key] = np.zeros_like(params[key])
            self.h[key] += g @ g.T
            params[key] -= self.lr * g / (np.sqrt(self.h[key]) + self.eps)
