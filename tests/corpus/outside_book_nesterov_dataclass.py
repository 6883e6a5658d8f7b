"""Nesterov with the per-parameter state held in a dataclass."""
EXPECTED = {'class': 'Nesterov',
 'api': 'book',
 'rule': 'nesterov',
 'verdict': 'pass',
 'variant': 'nesterov/bengio',
 'why': 'written by someone who had not read the checker: dataclass slot holding v; W += '
        'mu*mu*v_prev - (1+mu)*lr*g then v = mu*v - lr*g (== -mu*v_prev + (1+mu)*v)'}

# What the writer expected, written before any checker ran (benchmarks/outside.py reads it)
WRITTEN = {'class': 'Nesterov', 'api': 'book', 'verdict': 'pass', 'rule': 'nesterov', 'why': 'dataclass slot holding v; W += mu*mu*v_prev - (1+mu)*lr*g then v = mu*v - lr*g (== -mu*v_prev + (1+mu)*v)'}

from dataclasses import dataclass, field

import numpy as np


@dataclass
class _Slot:
    v: np.ndarray
    steps: int = 0


@dataclass
class Nesterov:
    lr: float = 0.01
    momentum: float = 0.9
    slots: dict = field(default_factory=dict)

    def update(self, params, grads):
        mu, lr = self.momentum, self.lr
        for key, p in params.items():
            slot = self.slots.get(key)
            if slot is None:
                slot = self.slots[key] = _Slot(v=np.zeros_like(p))
            g = grads[key]
            # uses the velocity from the previous step, then updates it
            p += mu * mu * slot.v - (1 + mu) * lr * g
            slot.v *= mu
            slot.v -= lr * g
            slot.steps += 1
