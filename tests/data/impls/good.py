"""Correct optimizers, each written the way some source writes it.

Every class here must pass ``python -m checker``; the tests name the variant
each one must be recognised as.
"""

import math

import numpy as np


class AdamPaper:
    """Kingma and Ba, Algorithm 1: bias-corrected moments, eps added to sqrt(v_hat)."""

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps
        self.t = 0
        self.m, self.v = {}, {}

    def update(self, params, grads):
        self.t += 1
        for key in params:
            if key not in self.m:
                self.m[key] = np.zeros_like(params[key])
                self.v[key] = np.zeros_like(params[key])
            g = grads[key]
            self.m[key] = self.beta1 * self.m[key] + (1 - self.beta1) * g
            self.v[key] = self.beta2 * self.v[key] + (1 - self.beta2) * g * g
            m_hat = self.m[key] / (1 - self.beta1 ** self.t)
            v_hat = self.v[key] / (1 - self.beta2 ** self.t)
            params[key] -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)


class AdamBook:
    """The book's Adam: bias correction folded into lr_t, eps = 1e-7 hard-coded."""

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999):
        self.lr = lr
        self.beta1 = beta1
        self.beta2 = beta2
        self.iter = 0
        self.m = None
        self.v = None

    def update(self, params, grads):
        if self.m is None:
            self.m, self.v = {}, {}
            for key, val in params.items():
                self.m[key] = np.zeros_like(val)
                self.v[key] = np.zeros_like(val)
        self.iter += 1
        lr_t = self.lr * math.sqrt(1.0 - self.beta2 ** self.iter) / (1.0 - self.beta1 ** self.iter)
        for key in params.keys():
            self.m[key] += (1 - self.beta1) * (grads[key] - self.m[key])
            self.v[key] += (1 - self.beta2) * (grads[key] ** 2 - self.v[key])
            params[key] -= lr_t * self.m[key] / (np.sqrt(self.v[key]) + 1e-7)


class MomentumTorch:
    """PyTorch's SGD(momentum=...): b = mu * b + g; W -= lr * b."""

    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.buf = {}

    def update(self, params, grads):
        for key in params:
            if key not in self.buf:
                self.buf[key] = np.zeros_like(params[key])
            self.buf[key] = self.momentum * self.buf[key] + grads[key]
            params[key] -= self.lr * self.buf[key]


class RMSpropInside:
    """tf.keras / TensorFlow 1: eps inside the root, g / sqrt(h + eps)."""

    def __init__(self, lr=0.001, decay_rate=0.9, eps=1e-7):
        self.lr, self.decay_rate, self.eps = lr, decay_rate, eps
        self.h = {}

    def update(self, params, grads):
        for key in params:
            if key not in self.h:
                self.h[key] = np.zeros_like(params[key])
            self.h[key] = self.decay_rate * self.h[key] + (1 - self.decay_rate) * grads[key] ** 2
            params[key] -= self.lr * grads[key] / np.sqrt(self.h[key] + self.eps)


class SGDOut:
    """In place through a ufunc's ``out=`` rather than ``-=``."""

    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for key, p in params.items():
            if isinstance(p, np.ndarray):
                np.subtract(p, self.lr * grads[key], out=p)
            else:  # a Python float cannot be written in place: rebind it
                params[key] = p - self.lr * grads[key]


class AdaGradSetdefault:
    """Lazy per-key state created with ``dict.setdefault``."""

    def __init__(self, lr=0.01, eps=1e-7):
        self.lr, self.eps = lr, eps
        self.h = {}

    def update(self, params, grads):
        for key in params:
            h = self.h.setdefault(key, np.zeros_like(params[key]))
            h += grads[key] * grads[key]
            params[key] -= self.lr * grads[key] / (np.sqrt(h) + self.eps)


class SGDChatty:
    """Correct, but prints a screenful on every update."""

    def __init__(self, lr=0.01):
        self.lr = lr
        self.calls = 0

    def update(self, params, grads):
        self.calls += 1
        for i in range(200):
            print(f"update {self.calls}: line {i} of debugging output " + "x" * 40)
        for key in params:
            params[key] -= self.lr * grads[key]
