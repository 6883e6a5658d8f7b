"""The book's Adam with the two moments exchanged in the step."""

import numpy as np

EXPECTED = {
    "class": "Adam",
    "verdict": "fail",
    "kind": "numeric",
    "mistake": "moments-swapped",
    "inferred": {"eps": 1e-7},
    "why": "the step is lr_t * v / (sqrt(m) + eps): v on top, m under the root",
}


class Adam:
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999):
        self.lr, self.beta1, self.beta2 = lr, beta1, beta2
        self.iter = 0
        self.m = None
        self.v = None

    def update(self, params, grads):
        if self.m is None:
            self.m, self.v = {}, {}
            for key, val in params.items():
                self.m[key] = np.zeros_like(val)
                self.v[key] = np.zeros_like(val)
        self.iter += 1
        lr_t = self.lr * np.sqrt(1.0 - self.beta2**self.iter) / (1.0 - self.beta1**self.iter)
        with np.errstate(invalid="ignore"):
            for key in params.keys():
                self.m[key] += (1 - self.beta1) * (grads[key] - self.m[key])
                self.v[key] += (1 - self.beta2) * (grads[key]**2 - self.v[key])
                params[key] -= lr_t * self.v[key] / (np.sqrt(self.m[key]) + 1e-7)
