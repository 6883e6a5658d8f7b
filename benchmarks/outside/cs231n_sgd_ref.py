"""Vanilla SGD exactly as given in the CS231n assignment 2 optim.py (updates w in place and returns it)."""
EXPECTED = {"class": "sgd", "api": "cs231n", "verdict": "pass", "rule": "sgd", "why": "the provided cs231n sgd: w -= learning_rate*dw; return w, config"}

import numpy as np


def sgd(w, dw, config=None):
    """
    Performs vanilla stochastic gradient descent.

    config format:
    - learning_rate: Scalar learning rate.
    """
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)

    w -= config["learning_rate"] * dw
    return w, config
