"""Vanilla SGD in the CS231n functional style, returning a fresh array."""
EXPECTED = {"class": "sgd", "api": "cs231n", "verdict": "pass", "rule": "sgd", "why": "next_w = w - lr*dw returned as a new array"}

import numpy as np


def sgd(w, dw, config=None):
    if config is None:
        config = {}
    lr = config.setdefault("learning_rate", 1e-2)
    next_w = w - lr * dw
    return next_w, config
