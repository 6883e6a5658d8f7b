"""Adam, float32-friendly: the scalar step size is computed with math.sqrt
(a Python float, so it never up-casts float32 arrays) and every array op is
in place."""
EXPECTED = {'class': 'Adam',
 'api': 'book',
 'rule': 'adam',
 'verdict': 'pass',
 'variant': 'adam/algorithm1',
 'why': 'written by someone who had not read the checker: math.sqrt for the scalar lr_t, '
        'in-place moment updates, dtype preserved'}

# What the writer expected, written before any checker ran (benchmarks/outside.py reads it)
WRITTEN = {'class': 'Adam', 'api': 'book', 'verdict': 'pass', 'rule': 'adam', 'why': 'math.sqrt for the scalar lr_t, in-place moment updates, dtype preserved'}

import math

import numpy as np


class Adam:
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr = lr
        self.beta1 = beta1
        self.beta2 = beta2
        self.eps = eps
        self.iter = 0
        self.m = None
        self.v = None

    def update(self, params, grads):
        if self.m is None:
            self.m = {k: np.zeros_like(p) for k, p in params.items()}
            self.v = {k: np.zeros_like(p) for k, p in params.items()}
        self.iter += 1
        bc1 = 1.0 - self.beta1 ** self.iter
        bc2 = 1.0 - self.beta2 ** self.iter
        step_size = self.lr / bc1
        sqrt_bc2 = math.sqrt(bc2)
        for k, p in params.items():
            g = grads[k]
            m, v = self.m[k], self.v[k]
            m *= self.beta1
            m += (1.0 - self.beta1) * g
            v *= self.beta2
            v += (1.0 - self.beta2) * g * g
            denom = np.sqrt(v) / sqrt_bc2 + self.eps
            p -= step_size * m / denom
