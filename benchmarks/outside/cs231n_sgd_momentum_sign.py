"""SGD+momentum (CS231n) that subtracts the velocity."""
EXPECTED = {"class": "sgd_momentum", "api": "cs231n", "verdict": "fail", "rule": "momentum", "why": "v = mu*v - lr*dw but next_w = w - v goes uphill", "mistake": "momentum sign wrong: next_w = w - v"}

import numpy as np


def sgd_momentum(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    v = config.get("velocity", np.zeros_like(w))

    v = config["momentum"] * v - config["learning_rate"] * dw
    next_w = w - v
    config["velocity"] = v
    return next_w, config
