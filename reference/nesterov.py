"""Nesterov momentum in Bengio et al.'s form, as the book's ``Nesterov``."""

from __future__ import annotations

import numpy as np

from ._validate import checked


class Nesterov:
    """Nesterov momentum with the gradient at the stored parameters (Bengio et al. 2012, eq. 7).

    ``W <- W + momentum**2 * v - (1 + momentum) * lr * g``, then
    ``v <- momentum * v - lr * g``: the move uses the *old* v.  This is the
    spec's ``spec.get("nesterov", "bengio")``, the book's current code and
    CS231n's.  ``v`` starts at zero.  Defaults lr = 0.01, momentum = 0.9.

    An early printing of the book updated v first and moved with the new v (a
    mistake).  PyTorch's ``SGD(nesterov=True)`` keeps lr outside its buffer
    (``nesterov/pytorch``): the same while lr is constant only.
    """

    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = checked("Nesterov", "lr", lr, "a non-negative learning rate", 0.01)
        self.momentum = checked("Nesterov", "momentum", momentum,
                                "a momentum coefficient", 0.9, rate=True)
        self.v = {}

    def update(self, params, grads):
        for key in params:
            if key not in self.v:
                self.v[key] = np.zeros_like(params[key])
            params[key] += self.momentum * self.momentum * self.v[key]
            params[key] -= (1 + self.momentum) * self.lr * grads[key]
            self.v[key] *= self.momentum
            self.v[key] -= self.lr * grads[key]
