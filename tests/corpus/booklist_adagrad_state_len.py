"""AdaGrad over lists that loops over its own state: nothing in update says params is a list."""

import numpy as np

EXPECTED = {
    "class": "AdaGrad",
    "api": "booklist",
    "verdict": "pass",
    "variant": "adagrad/eps_outside",
    "why": "range(len(self.h)) and a comprehension over params: no len(params), zip or "
           "enumerate for the API to be recognised by, so --api booklist says it",
}


class AdaGrad:
    def __init__(self, lr=0.01, eps=1e-7):
        self.lr = lr
        self.eps = eps
        self.h = None

    def update(self, params, grads):
        if self.h is None:
            self.h = [np.zeros_like(p) for p in params]
        for i in range(len(self.h)):
            self.h[i] += grads[i] * grads[i]
            params[i] -= self.lr * grads[i] / (np.sqrt(self.h[i]) + self.eps)
