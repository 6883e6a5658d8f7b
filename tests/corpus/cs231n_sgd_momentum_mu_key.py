"""CS231n's sgd_momentum that reads the momentum under the key 'mu', not 'momentum'."""

import numpy as np

EXPECTED = {
    "class": "sgd_momentum",
    "verdict": "fail",
    "kind": "numeric",
    "says": "is ignored",
    "why": "config.get('mu', 0.9): the caller's config['momentum'] is never read, so the "
           "momentum is always 0.9",
}


def sgd_momentum(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    mu = config.get("mu", 0.9)
    v = config.get("velocity", np.zeros_like(w))

    v = mu * v - config["learning_rate"] * dw
    next_w = w + v
    config["velocity"] = v

    return next_w, config
