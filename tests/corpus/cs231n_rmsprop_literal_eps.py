"""CS231n's rmsprop with epsilon written as a literal 1e-8 in the update."""

import numpy as np

EXPECTED = {
    "class": "rmsprop",
    "verdict": "fail",
    "kind": "numeric",
    "says": "is ignored",
    "why": "config.setdefault('epsilon', 1e-8) is there, but the update divides by "
           "sqrt(cache) + 1e-8, so a caller's config['epsilon'] changes nothing",
}


def rmsprop(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("decay_rate", 0.99)
    config.setdefault("epsilon", 1e-8)
    config.setdefault("cache", np.zeros_like(w))

    decay = config["decay_rate"]
    config["cache"] = decay * config["cache"] + (1 - decay) * dw ** 2
    next_w = w - config["learning_rate"] * dw / (np.sqrt(config["cache"]) + 1e-8)

    return next_w, config
