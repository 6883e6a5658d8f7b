"""AdaGrad dividing by the accumulated squares directly."""
EXPECTED = {'class': 'AdaGrad',
 'api': 'book',
 'rule': 'adagrad',
 'verdict': 'fail',
 'kind': 'numeric',
 'mistake': 'root-missing',
 'why': 'written by someone who had not read the checker: denominator is h + eps instead of '
        "sqrt(h) + eps (the writer's words, before any checker ran: sqrt missing in the "
        'AdaGrad denominator)'}

# What the writer expected, written before any checker ran (benchmarks/outside.py reads it)
WRITTEN = {'class': 'AdaGrad', 'api': 'book', 'verdict': 'fail', 'rule': 'adagrad', 'why': 'denominator is h + eps instead of sqrt(h) + eps', 'mistake': 'sqrt missing in the AdaGrad denominator'}

import numpy as np


class AdaGrad:
    def __init__(self, lr=0.01):
        self.lr = lr
        self.h = {}

    def update(self, params, grads):
        for key in params:
            if key not in self.h:
                self.h[key] = np.zeros_like(params[key])
            self.h[key] += grads[key] ** 2
            params[key] -= self.lr * grads[key] / (self.h[key] + 1e-7)
