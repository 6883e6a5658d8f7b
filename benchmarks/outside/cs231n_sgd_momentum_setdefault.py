"""SGD+momentum with every config entry (including the velocity) via setdefault."""
EXPECTED = {"class": "sgd_momentum", "api": "cs231n", "verdict": "pass", "rule": "momentum", "why": "setdefault for velocity, new velocity written back, returns w + v"}

import numpy as np


def sgd_momentum(w, dw, config=None):
    if config is None:
        config = {}
    lr = config.setdefault("learning_rate", 1e-2)
    mu = config.setdefault("momentum", 0.9)
    v = config.setdefault("velocity", np.zeros_like(w))
    v = mu * v - lr * dw
    config["velocity"] = v
    return w + v, config
