"""Heavy-ball momentum with the learning rate inside the velocity, as the book's ``Momentum``."""

from __future__ import annotations

import numpy as np

from ._validate import checked


class Momentum:
    """``v <- momentum * v - lr * g;  W <- W + v``; the spec's ``spec.get("momentum", "book")``.

    ``v`` starts at zero.  Defaults lr = 0.01, momentum = 0.9 (the book,
    CS231n).  PyTorch's ``SGD(momentum=...)`` keeps ``b <- momentum * b + g``
    and moves ``W <- W - lr * b`` (``momentum/pytorch``): the same while lr is
    constant, different after lr changes, since ``v`` remembers the old lr.
    """

    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = checked("Momentum", "lr", lr, "a non-negative learning rate", 0.01)
        self.momentum = checked("Momentum", "momentum", momentum,
                                "a momentum coefficient", 0.9, rate=True)
        self.v = {}

    def update(self, params, grads):
        for key in params:
            if key not in self.v:
                self.v[key] = np.zeros_like(params[key])
            self.v[key] = self.momentum * self.v[key] - self.lr * grads[key]
            params[key] += self.v[key]
