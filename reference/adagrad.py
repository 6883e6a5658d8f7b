"""AdaGrad (Duchi, Hazan and Singer, 2011), as the book's ``AdaGrad``."""

from __future__ import annotations

import numpy as np

from ._validate import checked


class AdaGrad:
    """``h <- h + g**2;  W <- W - lr * g / (sqrt(h) + eps)``, epsilon outside the root.

    The spec's ``spec.get("adagrad", "eps_outside")``; ``h`` starts at zero.
    Defaults lr = 0.01, eps = 1e-7 (the book hard-codes eps; PyTorch uses
    1e-10, and tf.keras starts h at 0.1).  Some notes write ``g / sqrt(h + eps)``
    (``adagrad/eps_inside``), which is a different rule.
    """

    def __init__(self, lr=0.01, eps=1e-7):
        self.lr = checked("AdaGrad", "lr", lr, "a non-negative learning rate", 0.01)
        self.eps = checked("AdaGrad", "eps", eps, "a small non-negative epsilon", 1e-7)
        self.h = {}

    def update(self, params, grads):
        for key in params:
            if key not in self.h:
                self.h[key] = np.zeros_like(params[key])
            self.h[key] += grads[key] * grads[key]
            params[key] -= self.lr * grads[key] / (np.sqrt(self.h[key]) + self.eps)
