"""Adam where each parameter's moments live in a small dataclass."""
EXPECTED = {'class': 'Adam',
 'api': 'book',
 'rule': 'adam',
 'verdict': 'pass',
 'variant': 'adam/algorithm1',
 'why': 'written by someone who had not read the checker: dataclass AdamSlot(m, v) per key, '
        'global step counter, paper maths'}

# What the writer expected, written before any checker ran (benchmarks/outside.py reads it)
WRITTEN = {'class': 'Adam', 'api': 'book', 'verdict': 'pass', 'rule': 'adam', 'why': 'dataclass AdamSlot(m, v) per key, global step counter, paper maths'}

from dataclasses import dataclass

import numpy as np


@dataclass
class AdamSlot:
    m: np.ndarray
    v: np.ndarray

    @classmethod
    def like(cls, p):
        return cls(np.zeros_like(p), np.zeros_like(p))


class Adam:
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8):
        self.lr = lr
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.slots: dict[str, AdamSlot] = {}
        self.t = 0

    def update(self, params, grads):
        self.t += 1
        for key, p in params.items():
            slot = self.slots.get(key) or self.slots.setdefault(key, AdamSlot.like(p))
            g = grads[key]
            slot.m = self.beta1 * slot.m + (1 - self.beta1) * g
            slot.v = self.beta2 * slot.v + (1 - self.beta2) * g * g
            m_hat = slot.m / (1 - self.beta1 ** self.t)
            v_hat = slot.v / (1 - self.beta2 ** self.t)
            p -= self.lr * m_hat / (np.sqrt(v_hat) + self.epsilon)
