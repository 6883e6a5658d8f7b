"""AdaGrad written for float32 networks: state and constants in the parameter's own dtype."""

import numpy as np

EXPECTED = {
    "class": "AdaGrad",
    "verdict": "pass",
    "variant": "adagrad/eps_outside",
    "why": "state allocated in the parameter's dtype and eps cast to it, so float32 stays float32",
}


class AdaGrad:
    def __init__(self, lr=0.01, eps=1e-7):
        self.lr = lr
        self.eps = eps
        self.h = {}

    def update(self, params, grads):
        for key in params:
            p = np.asarray(params[key])
            dtype = p.dtype if np.issubdtype(p.dtype, np.floating) else np.float64
            if key not in self.h:
                self.h[key] = np.zeros(p.shape, dtype=dtype)
            g = np.asarray(grads[key], dtype=dtype)
            self.h[key] += g * g
            lr, eps = dtype.type(self.lr), dtype.type(self.eps)
            params[key] -= lr * g / (np.sqrt(self.h[key]) + eps)
