"""Adam for list params following the paper's Algorithm 1, with enumerate and
math.sqrt for the scalar correction."""
EXPECTED = {'class': 'Adam',
 'api': 'booklist',
 'rule': 'adam',
 'verdict': 'pass',
 'variant': 'adam/algorithm1',
 'why': 'written by someone who had not read the checker: paper Adam over enumerate(params), '
        'state lists, p[...] = new value'}

# What the writer expected, written before any checker ran (benchmarks/outside.py reads it)
WRITTEN = {'class': 'Adam', 'api': 'booklist', 'verdict': 'pass', 'rule': 'adam', 'why': 'paper Adam over enumerate(params), state lists, p[...] = new value'}

import math

import numpy as np


class Adam:
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr = lr
        self.beta1 = beta1
        self.beta2 = beta2
        self.eps = eps
        self.t = 0
        self.m = []
        self.v = []

    def update(self, params, grads):
        if not self.m:
            self.m = [np.zeros_like(p) for p in params]
            self.v = [np.zeros_like(p) for p in params]
        self.t += 1
        c1 = 1 - self.beta1 ** self.t
        c2 = math.sqrt(1 - self.beta2 ** self.t)
        for i, p in enumerate(params):
            g = grads[i]
            self.m[i] = self.beta1 * self.m[i] + (1 - self.beta1) * g
            self.v[i] = self.beta2 * self.v[i] + (1 - self.beta2) * g * g
            m_hat = self.m[i] / c1
            denom = np.sqrt(self.v[i]) / c2 + self.eps
            p[...] = p - self.lr * m_hat / denom
