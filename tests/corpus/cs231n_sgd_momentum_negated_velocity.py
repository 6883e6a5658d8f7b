"""CS231n's sgd_momentum with the velocity kept with the opposite sign: v' = -v."""

import numpy as np

EXPECTED = {
    "class": "sgd_momentum",
    "verdict": "pass",
    "variant": "momentum/book",
    "why": "v = momentum * v + learning_rate * dw; next_w = w - v is the book's rule for -v, "
           "bit for bit (rounding is symmetric in sign), through changes of lr too",
}


def sgd_momentum(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    v = config.get("velocity", np.zeros_like(w))

    v = config["momentum"] * v + config["learning_rate"] * dw
    next_w = w - v
    config["velocity"] = v

    return next_w, config
