"""Seed 001, AdaGrad (no "# pseudo" comment, but elided the same way), as written."""

import numpy as np

EXPECTED = {
    "class": "AdaGrad",
    "verdict": "fail",
    "kind": "load",
    "says": "pseudo-code",
    "why": "the constructor is elided with ...: `self.lr = lr` at class level raises NameError",
}


class AdaGrad:
  ...
  self.lr = lr
  self.h = None
  ...
  
  def update(self, params, grads):
    if self.h == None:
      self.h = {}
      # 각 층마다 h를 0으로 초기화
      # h는 가중치의 shape과 같음
      for key, val in params.items():
        self.h[key] = np.zeros_like(val)

    for key in params.keys():
      self.h[key] += grads[key] * grads[key]
      # 0으로 나누는 것을 방지할 작은 값 e
      params[key] -= self.lr * grads[key] / (np.sqrt(self.h[key]) + 1e-7)
    
  ...
