"""Seed 001's AdaGrad completed with its __init__."""

import numpy as np

EXPECTED = {
    "class": "AdaGrad",
    "verdict": "pass",
    "variant": "adagrad/eps_outside",
    "inferred": {"eps": 1e-7},
    "why": "the code puts eps outside the root (the notes' formula puts it inside): the book's "
           "AdaGrad with the hard-coded 1e-7",
}


class AdaGrad:
  def __init__(self, lr=0.01):
    self.lr = lr
    self.h = None

  def update(self, params, grads):
    if self.h == None:
      self.h = {}
      for key, val in params.items():
        self.h[key] = np.zeros_like(val)

    for key in params.keys():
      self.h[key] += grads[key] * grads[key]
      # 0으로 나누는 것을 방지할 작은 값 e
      params[key] -= self.lr * grads[key] / (np.sqrt(self.h[key]) + 1e-7)
