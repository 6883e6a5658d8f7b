"""Adam (Kingma and Ba, 2015) in the book's efficient form, as the book's ``Adam``."""

from __future__ import annotations

import math

import numpy as np

from ._validate import checked


class Adam:
    """Adam with the bias correction folded into the step size, epsilon-hat.

    The spec's ``spec.get("adam", "eps_hat")``.  Each ``update`` call advances
    ``t <- t + 1`` once, for all keys, then per key::

        lr_t = lr * sqrt(1 - beta2**t) / (1 - beta1**t)
        m <- m + (1 - beta1) * (g - m)
        v <- v + (1 - beta2) * (g**2 - v)
        W <- W - lr_t * m / (sqrt(v) + eps)

    ``m`` and ``v`` start at zero.  Defaults lr = 0.001, beta1 = 0.9,
    beta2 = 0.999, eps = 1e-7 (the book hard-codes eps).  Here eps is the
    paper's epsilon-hat, as in TensorFlow and tf.keras.  PyTorch, optax and the
    paper's Algorithm 1 (``adam/algorithm1``, eps = 1e-8) add eps to the root
    of the *corrected* v instead; the two differ where v is near eps**2.
    """

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-7):
        self.lr = checked("Adam", "lr", lr, "a non-negative learning rate", 0.001)
        self.beta1 = checked("Adam", "beta1", beta1, "a first-moment decay rate", 0.9, rate=True)
        self.beta2 = checked("Adam", "beta2", beta2, "a second-moment decay rate", 0.999,
                             rate=True)
        self.eps = checked("Adam", "eps", eps, "a small non-negative epsilon", 1e-7)
        self.t = 0
        self.m = {}
        self.v = {}

    def update(self, params, grads):
        self.t += 1
        # math.sqrt keeps lr_t a Python float, so float32 params stay float32 arithmetic
        lr_t = self.lr * math.sqrt(1.0 - self.beta2**self.t) / (1.0 - self.beta1**self.t)
        for key in params:
            if key not in self.m:
                self.m[key] = np.zeros_like(params[key])
                self.v[key] = np.zeros_like(params[key])
            self.m[key] += (1 - self.beta1) * (grads[key] - self.m[key])
            self.v[key] += (1 - self.beta2) * (grads[key] ** 2 - self.v[key])
            params[key] -= lr_t * self.m[key] / (np.sqrt(self.v[key]) + self.eps)
