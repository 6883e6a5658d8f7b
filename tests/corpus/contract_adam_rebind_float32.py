"""The book's Adam with params[key] = params[key] - ...: a rebinding, which float32 makes float64."""

import numpy as np

EXPECTED = {
    "class": "Adam",
    "verdict": "fail",
    "kind": "inplace",
    "says": "rebinds params['W1'] to a new array (line 31: `params[key] = params[key] - lr_t",
    "not_kinds": ["numeric"],
    "why": "the most common learner mistake of the book's API: the layers keep the old arrays and "
           "training stops; lr_t is a NumPy float64 (np.sqrt), so a float32 parameter also comes "
           "back float64, which is the same mistake and said with it, and no mistake is named",
}


class Adam:
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999):
        self.lr, self.beta1, self.beta2 = lr, beta1, beta2
        self.iter, self.m, self.v = 0, None, None

    def update(self, params, grads):
        if self.m is None:
            self.m = {k: np.zeros_like(v) for k, v in params.items()}
            self.v = {k: np.zeros_like(v) for k, v in params.items()}
        self.iter += 1
        lr_t = self.lr * np.sqrt(1.0 - self.beta2**self.iter) / (1.0 - self.beta1**self.iter)
        for key in params.keys():
            self.m[key] += (1 - self.beta1) * (grads[key] - self.m[key])
            self.v[key] += (1 - self.beta2) * (grads[key]**2 - self.v[key])
            params[key] = params[key] - lr_t * self.m[key] / (np.sqrt(self.v[key]) + 1e-7)
