"""AdaGrad entirely with out= buffers: no temporary survives an update."""

import numpy as np

EXPECTED = {
    "class": "AdaGrad",
    "verdict": "pass",
    "variant": "adagrad/eps_outside",
    "why": "np.add(h, g*g, out=h) and np.subtract(p, step, out=p): in place through ufuncs",
}


class AdaGrad:
    def __init__(self, lr=0.01, eps=1e-7):
        self.lr = lr
        self.eps = eps
        self.h = {}

    def update(self, params, grads):
        for key, p in params.items():
            g = grads[key]
            if key not in self.h:
                self.h[key] = np.zeros_like(p)
            h = self.h[key]
            step = self.lr * g / (np.sqrt(np.add(h, g * g, out=h)) + self.eps)
            if isinstance(p, np.ndarray):
                np.subtract(p, step, out=p)
            else:
                params[key] = p - step
