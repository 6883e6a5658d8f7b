"""CS231n's sgd_momentum that computes the new velocity and never puts it back in config."""

import numpy as np

EXPECTED = {
    "class": "sgd_momentum",
    "verdict": "fail",
    "kind": "state",
    "says": "not stored back",
    "mistake": "not-accumulated",
    "why": "v = config.get('velocity', zeros) is updated but config['velocity'] = v is missing, "
           "so every call starts from zero velocity: plain SGD",
}


def sgd_momentum(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    v = config.get("velocity", np.zeros_like(w))

    v = config["momentum"] * v - config["learning_rate"] * dw
    next_w = w + v

    return next_w, config
