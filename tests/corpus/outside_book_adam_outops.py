"""Adam with numpy ufuncs and out= for the moment buffers."""
EXPECTED = {'class': 'Adam',
 'api': 'book',
 'rule': 'adam',
 'verdict': 'pass',
 'variant': 'adam/eps_hat',
 'why': 'written by someone who had not read the checker: np.multiply/np.add with out= for m '
        'and v, params updated via np.subtract(out=)'}

# What the writer expected, written before any checker ran (benchmarks/outside.py reads it)
WRITTEN = {'class': 'Adam', 'api': 'book', 'verdict': 'pass', 'rule': 'adam', 'why': 'np.multiply/np.add with out= for m and v, params updated via np.subtract(out=)'}

import numpy as np


class Adam:
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999):
        self.lr = lr
        self.beta1 = beta1
        self.beta2 = beta2
        self.iter = 0
        self.m = {}
        self.v = {}

    def update(self, params, grads):
        self.iter += 1
        lr_t = self.lr * np.sqrt(1.0 - self.beta2 ** self.iter) / (1.0 - self.beta1 ** self.iter)
        for key, p in params.items():
            g = grads[key]
            if key not in self.m:
                self.m[key] = np.zeros_like(p)
                self.v[key] = np.zeros_like(p)
            m, v = self.m[key], self.v[key]
            np.multiply(m, self.beta1, out=m)
            np.add(m, (1 - self.beta1) * g, out=m)
            np.multiply(v, self.beta2, out=v)
            np.add(v, (1 - self.beta2) * np.square(g), out=v)
            np.subtract(p, lr_t * m / (np.sqrt(v) + 1e-7), out=p)
