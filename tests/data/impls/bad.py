"""Wrong optimizers, each with one mistake the checker must name.

The docstring of each class says the finding kind it must fail with.
"""

import numpy as np


class AdamNoBiasCorrection:
    """numeric: m and v used as they are, never divided by 1 - beta**t."""

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps
        self.m, self.v = {}, {}

    def update(self, params, grads):
        for key in params:
            if key not in self.m:
                self.m[key] = np.zeros_like(params[key])
                self.v[key] = np.zeros_like(params[key])
            self.m[key] = self.beta1 * self.m[key] + (1 - self.beta1) * grads[key]
            self.v[key] = self.beta2 * self.v[key] + (1 - self.beta2) * grads[key] ** 2
            params[key] -= self.lr * self.m[key] / (np.sqrt(self.v[key]) + self.eps)


class SGDSlightlyOff:
    """numeric: every step 1e-6 too large, relatively."""

    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for key in params:
            params[key] -= self.lr * grads[key] * (1 + 1e-6)


class SGDRebind:
    """inplace: params[key] is replaced by a new array."""

    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for key in params:
            params[key] = params[key] - self.lr * grads[key]


class SGDReturnsNew:
    """inplace: a new dict comes back and params is left alone."""

    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        return {key: params[key] - self.lr * grads[key] for key in params}


class SGDMutatesGrads:
    """grads-mutated: the caller's gradients are scaled in place."""

    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for key in params:
            grads[key] *= self.lr
            params[key] -= grads[key]


class AdaGradFloat16State:
    """numeric or dtype: the accumulator is kept in float16."""

    def __init__(self, lr=0.01, eps=1e-7):
        self.lr, self.eps = lr, eps
        self.h = {}

    def update(self, params, grads):
        for key in params:
            if key not in self.h:
                self.h[key] = np.zeros(np.shape(params[key]), dtype=np.float16)
            self.h[key] += (grads[key] * grads[key]).astype(np.float16)
            params[key] -= self.lr * grads[key] / (np.sqrt(self.h[key]) + self.eps)


class SGDCastsToFloat64:
    """dtype: float32 parameters come back as float64."""

    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for key in params:
            params[key] = params[key].astype(np.float64) - self.lr * grads[key].astype(np.float64)


class AdaGradSharedState:
    """state: the accumulator dict belongs to the class, so every instance shares it."""

    h = {}

    def __init__(self, lr=0.01, eps=1e-7):
        self.lr, self.eps = lr, eps

    def update(self, params, grads):
        for key in params:
            if key not in self.h or np.shape(self.h[key]) != np.shape(params[key]):
                self.h[key] = np.zeros_like(params[key])
            self.h[key] = self.h[key] + grads[key] * grads[key]
            params[key] -= self.lr * grads[key] / (np.sqrt(self.h[key]) + self.eps)


class SGDAscent:
    """numeric: climbs the gradient."""

    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for key in params:
            params[key] += self.lr * grads[key]


class AdaGradNoEps:
    """nonfinite or numeric: 0 / sqrt(0) is NaN when a gradient is exactly zero."""

    def __init__(self, lr=0.01):
        self.lr = lr
        self.h = {}

    def update(self, params, grads):
        with np.errstate(all="ignore"):
            for key in params:
                if key not in self.h:
                    self.h[key] = np.zeros_like(params[key])
                self.h[key] += grads[key] * grads[key]
                params[key] -= self.lr * grads[key] / np.sqrt(self.h[key])


class SGDNoUpdate:
    """api: the method is called step, not update."""

    def __init__(self, lr=0.01):
        self.lr = lr

    def step(self, params, grads):
        for key in params:
            params[key] -= self.lr * grads[key]


class SGDInitRaises:
    """crash: the constructor raises."""

    def __init__(self, lr=0.01):
        raise RuntimeError("this optimizer refuses to be built")

    def update(self, params, grads):
        pass


class SGDHiddenDecay:
    """numeric: halves its learning rate after the 8th update, a schedule sgd/plain does not have."""

    def __init__(self, lr=0.01):
        self.lr = lr
        self.t = 0

    def update(self, params, grads):
        self.t += 1
        lr = self.lr if self.t <= 8 else 0.5 * self.lr
        for key in params:
            params[key] -= lr * grads[key]
