"""A tiny optimizer hierarchy: Optimizer base class + Momentum subclass.

The base class handles lazy per-key state allocation; subclasses implement
``_update_one``.
"""
EXPECTED = {'class': 'Momentum',
 'api': 'book',
 'rule': 'momentum',
 'verdict': 'pass',
 'variant': 'momentum/book',
 'why': 'written by someone who had not read the checker: inherits from a local Optimizer base '
        'class that creates per-key state lazily'}

# What the writer expected, written before any checker ran (benchmarks/outside.py reads it)
WRITTEN = {'class': 'Momentum', 'api': 'book', 'verdict': 'pass', 'rule': 'momentum', 'why': 'inherits from a local Optimizer base class that creates per-key state lazily'}

import numpy as np


class Optimizer:
    """Base class. Subclasses override _init_state and _update_one."""

    def __init__(self, lr):
        self.lr = lr
        self.state = {}

    def _init_state(self, p):
        return {}

    def _update_one(self, p, g, state):
        raise NotImplementedError

    def update(self, params, grads):
        for key, p in params.items():
            if key not in self.state:
                self.state[key] = self._init_state(p)
            self._update_one(p, grads[key], self.state[key])


class Momentum(Optimizer):
    def __init__(self, lr=0.01, momentum=0.9):
        super().__init__(lr)
        self.momentum = momentum

    def _init_state(self, p):
        return {"v": np.zeros_like(p)}

    def _update_one(self, p, g, state):
        v = state["v"]
        v *= self.momentum
        v -= self.lr * g
        p += v
