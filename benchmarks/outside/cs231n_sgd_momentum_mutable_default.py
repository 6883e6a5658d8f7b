"""SGD+momentum with a default config dict in the signature."""
EXPECTED = {"class": "sgd_momentum", "api": "cs231n", "verdict": "fail", "rule": "momentum", "why": "config={} default is created once, so velocity leaks between unrelated calls that omit config", "mistake": "mutable default config={}"}

import numpy as np


def sgd_momentum(w, dw, config={}):
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    v = config.get("velocity", np.zeros_like(w))

    v = config["momentum"] * v - config["learning_rate"] * dw
    next_w = w + v
    config["velocity"] = v
    return next_w, config
