"""Stochastic gradient descent, as the book's ``SGD``."""

from __future__ import annotations

from ._validate import checked


class SGD:
    """``W <- W - lr * g``; the spec's ``spec.get("sgd", "plain")``.

    Default lr = 0.01 (the book, CS231n); PyTorch uses 1e-3.  Every framework
    agrees on the rule.
    """

    def __init__(self, lr=0.01):
        self.lr = checked("SGD", "lr", lr, "a non-negative learning rate", 0.01)

    def update(self, params, grads):
        for key in params:
            params[key] -= self.lr * grads[key]
