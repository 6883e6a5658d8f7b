"""CS231n's sgd, as assignment 2's optim.py gives it: w updated in place and returned."""

import numpy as np

EXPECTED = {
    "class": "sgd",
    "verdict": "pass",
    "variant": "sgd/plain",
    "why": "the assignment's own sgd: w -= config['learning_rate'] * dw, then (w, config)",
}


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
