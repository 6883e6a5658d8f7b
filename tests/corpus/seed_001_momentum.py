"""Seed 001, "# pseudo" Momentum, as written."""

import numpy as np

EXPECTED = {
    "class": "Momentum",
    "verdict": "fail",
    "kind": "load",
    "says": "pseudo-code",
    "why": "the constructor is elided with ...: `self.lr = lr` runs at class level and raises "
           "NameError",
}


# pseudo
class Momentum:
  ...
  self.lr = lr
  self.momentum = momentum
  self.v = None
  ...

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
    
  ...
