"""CS231n's rmsprop with decay_rate and 1 - decay_rate exchanged in the cache."""

import numpy as np

EXPECTED = {
    "class": "rmsprop",
    "verdict": "fail",
    "kind": "numeric",
    "mistake": "decays-swapped",
    "why": "cache = (1 - decay_rate) * cache + decay_rate * dw**2 keeps 1% of the average and "
           "adds 99% of the new square",
}


def rmsprop(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("decay_rate", 0.99)
    config.setdefault("epsilon", 1e-8)
    config.setdefault("cache", np.zeros_like(w))

    config["cache"] = (1 - config["decay_rate"]) * config["cache"] + config["decay_rate"] * dw ** 2
    next_w = w - config["learning_rate"] * dw / (np.sqrt(config["cache"]) + config["epsilon"])

    return next_w, config
