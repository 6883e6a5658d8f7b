"""Optimizers for the from-scratch MLP.

All optimizers share the same interface::

    opt = Adam(lr=1e-3)
    for x, t in batches:
        grads = net.gradient(x, t)
        opt.update(net.params, grads)

``update`` modifies ``net.params`` in place, because the layers keep
references to the very same arrays.  The gradients are read-only.

Adam
----
Kingma & Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015.

    t  <- t + 1
    m  <- b1 m + (1 - b1) g
    v  <- b2 v + (1 - b2) g^2
    m^ <- m / (1 - b1^t)
    v^ <- v / (1 - b2^t)
    W  <- W - lr m^ / (sqrt(v^) + eps)
"""
EXPECTED = {'class': 'Adam',
 'api': 'book',
 'rule': 'adam',
 'verdict': 'pass',
 'variant': 'adam/algorithm1',
 'why': 'written by someone who had not read the checker: heavily documented Adam inheriting '
        'from a local BaseOptimizer; paper maths'}

# What the writer expected, written before any checker ran (benchmarks/outside.py reads it)
WRITTEN = {'class': 'Adam', 'api': 'book', 'verdict': 'pass', 'rule': 'adam', 'why': 'heavily documented Adam inheriting from a local BaseOptimizer; paper maths'}

import numpy as np


class BaseOptimizer:
    """Common bookkeeping: hyper-parameters, step counter and lazy slots."""

    def __init__(self, lr):
        #: learning rate
        self.lr = lr
        #: number of completed update() calls
        self.iterations = 0
        #: per-parameter state, keyed by the parameter's name
        self.slots = {}

    def slot(self, key, like, name):
        """Return (creating if needed) the slot ``name`` for parameter ``key``."""
        d = self.slots.setdefault(key, {})
        if name not in d:
            d[name] = np.zeros_like(like)
        return d[name]

    def update(self, params, grads):
        """Apply one step; subclasses implement :meth:`apply`."""
        self.iterations += 1
        for key in params:
            self.apply(key, params[key], grads[key])

    def apply(self, key, param, grad):  # pragma: no cover - abstract
        raise NotImplementedError


class Adam(BaseOptimizer):
    """Adam optimizer (see module docstring for the maths)."""

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        super().__init__(lr)
        self.beta1 = beta1
        self.beta2 = beta2
        self.eps = eps

    def apply(self, key, param, grad):
        m = self.slot(key, param, "m")
        v = self.slot(key, param, "v")
        t = self.iterations
        # first and second raw moment estimates (in place)
        m *= self.beta1
        m += (1 - self.beta1) * grad
        v *= self.beta2
        v += (1 - self.beta2) * grad * grad
        # bias-corrected estimates
        m_hat = m / (1 - self.beta1 ** t)
        v_hat = v / (1 - self.beta2 ** t)
        # parameter step (in place!)
        param -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)
