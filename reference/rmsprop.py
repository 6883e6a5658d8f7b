"""RMSProp (Tieleman and Hinton, 2012), as the book's ``RMSprop``."""

from __future__ import annotations

import numpy as np

from ._validate import checked


class RMSprop:
    """``h <- decay_rate * h + (1 - decay_rate) * g**2;  W <- W - lr * g / (sqrt(h) + eps)``.

    The spec's ``spec.get("rmsprop", "eps_outside")``; ``h`` starts at zero.
    Defaults lr = 0.01, decay_rate = 0.99, eps = 1e-7 (the book hard-codes eps;
    PyTorch's ``alpha`` is decay_rate, with eps = 1e-8).  TensorFlow 1 and
    tf.keras put eps inside the root, ``g / sqrt(h + eps)``
    (``rmsprop/eps_inside``), and default decay_rate to 0.9.
    """

    def __init__(self, lr=0.01, decay_rate=0.99, eps=1e-7):
        self.lr = checked("RMSprop", "lr", lr, "a non-negative learning rate", 0.01)
        self.decay_rate = checked("RMSprop", "decay_rate", decay_rate,
                                  "a decay rate", 0.99, rate=True)
        self.eps = checked("RMSprop", "eps", eps, "a small non-negative epsilon", 1e-7)
        self.h = {}

    def update(self, params, grads):
        for key in params:
            if key not in self.h:
                self.h[key] = np.zeros_like(params[key])
            self.h[key] *= self.decay_rate
            self.h[key] += (1 - self.decay_rate) * grads[key] * grads[key]
            params[key] -= self.lr * grads[key] / (np.sqrt(self.h[key]) + self.eps)
