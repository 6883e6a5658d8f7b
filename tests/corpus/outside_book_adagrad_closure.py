"""AdaGrad built by a factory function: the state lives in a closure and the
class just wraps the returned step function."""
EXPECTED = {'class': 'AdaGrad',
 'api': 'book',
 'rule': 'adagrad',
 'verdict': 'pass',
 'variant': 'adagrad/eps_outside',
 'warns': 'has no effect',
 'why': 'written by someone who had not read the checker: closure-built optimizer; class '
        'update delegates to the closure step'}

# What the writer expected, written before any checker ran (benchmarks/outside.py reads it)
WRITTEN = {'class': 'AdaGrad', 'api': 'book', 'verdict': 'pass', 'rule': 'adagrad', 'why': 'closure-built optimizer; class update delegates to the closure step'}

import numpy as np


def make_adagrad(lr=0.01, eps=1e-7):
    h = {}

    def step(params, grads):
        for key, p in params.items():
            g = grads[key]
            if key not in h:
                h[key] = np.zeros_like(p)
            h[key] += g * g
            p -= lr * g / (np.sqrt(h[key]) + eps)

    return step


class AdaGrad:
    def __init__(self, lr=0.01):
        self.lr = lr
        self._step = make_adagrad(lr)

    def update(self, params, grads):
        self._step(params, grads)
