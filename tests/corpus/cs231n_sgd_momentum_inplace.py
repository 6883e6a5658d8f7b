"""CS231n's sgd_momentum written like the assignment's sgd: w moved in place and returned."""

import numpy as np

EXPECTED = {
    "class": "sgd_momentum",
    "verdict": "pass",
    "variant": "momentum/book",
    "why": "w += v changes the caller's array and returns it as next_w; the API allows either",
}


def sgd_momentum(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    if "velocity" not in config:
        config["velocity"] = np.zeros_like(w)

    v = config["velocity"]
    v *= config["momentum"]
    v -= config["learning_rate"] * dw
    w += v
    return w, config
