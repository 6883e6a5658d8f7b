"""Seed 001's pseudo-code Momentum completed with its __init__; `== None` kept."""

import numpy as np

EXPECTED = {
    "class": "Momentum",
    "verdict": "pass",
    "variant": "momentum/book",
    "why": "`self.v == None` works here (v is None or a dict, never an array), so once the "
           "constructor exists this is the book's Momentum",
}


class Momentum:
  def __init__(self, lr=0.01, momentum=0.9):
    self.lr = lr
    self.momentum = momentum
    self.v = None

  def update(self, params, grads):
    if self.v == None:
      self.v = {}
      # 각 층마다 v를 0으로 초기화
      # v는 가중치의 shape과 같음
      for key, val in params.items():
        self.v[key] = np.zeros_like(val)

    for key in params.keys():
      self.v[key] = self.momentum * self.v[key] - self.lr * grads[key]
      params[key] += self.v[key]
