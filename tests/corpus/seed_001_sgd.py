"""Seed 001 (a Colab notebook), "# pseudo" SGD: elided with ..., as written."""

import numpy as np

EXPECTED = {
    "class": "SGD",
    "verdict": "fail",
    "kind": "load",
    "says": "pseudo-code",
    "why": "`self.lr = lr` at class level between `...` lines: pseudo-code whose class body "
           "raises NameError",
}


# pseudo
class SGD:
  ...
  self.lr = lr
  ...

  def update(self, params, grads):
    for key in params.keys():
      params[key] -= self.lr * grads[key]
  
  ...
