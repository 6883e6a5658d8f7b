"""Adam, CS231n API, scalar corrections computed with math (Python floats)."""
EXPECTED = {"class": "adam", "api": "cs231n", "verdict": "pass", "rule": "adam", "why": "math.sqrt for the scalar bias correction, paper-equivalent denominator"}

import math

import numpy as np


def adam(w, dw, config=None):
    if config is None:
        config = {}
    lr = config.setdefault("learning_rate", 1e-3)
    beta1 = config.setdefault("beta1", 0.9)
    beta2 = config.setdefault("beta2", 0.999)
    eps = config.setdefault("epsilon", 1e-8)
    m = config.get("m", np.zeros_like(w))
    v = config.get("v", np.zeros_like(w))
    t = config.get("t", 0) + 1

    m = beta1 * m + (1 - beta1) * dw
    v = beta2 * v + (1 - beta2) * dw * dw
    bc1 = 1 - beta1 ** t
    bc2 = math.sqrt(1 - beta2 ** t)
    next_w = w - (lr / bc1) * m / (np.sqrt(v) / bc2 + eps)

    config.update(m=m, v=v, t=t)
    return next_w, config
