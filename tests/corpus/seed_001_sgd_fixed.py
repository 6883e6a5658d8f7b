"""Seed 001's pseudo-code SGD completed with the __init__ it elides."""

import numpy as np

EXPECTED = {
    "class": "SGD",
    "verdict": "pass",
    "variant": "sgd/plain",
    "why": "with `def __init__(self, lr=0.01)` in place of the `...` the pseudo-code is the book's "
           "SGD (two-space indents and all)",
}


# pseudo
class SGD:
  def __init__(self, lr=0.01):
    self.lr = lr

  def update(self, params, grads):
    for key in params.keys():
      params[key] -= self.lr * grads[key]
