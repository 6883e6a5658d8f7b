"""RMSProp (CS231n) that computes the new cache into a local and forgets it."""
EXPECTED = {"class": "rmsprop", "api": "cs231n", "verdict": "fail", "rule": "rmsprop", "why": "cache is never written back to config['cache'], so it restarts from zeros each call", "mistake": "RMSprop cache not stored back to config"}

import numpy as np


def rmsprop(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("decay_rate", 0.99)
    config.setdefault("epsilon", 1e-8)
    config.setdefault("cache", np.zeros_like(w))

    cache = config["decay_rate"] * config["cache"] + (1 - config["decay_rate"]) * dw**2
    next_w = w - config["learning_rate"] * dw / (np.sqrt(cache) + config["epsilon"])
    return next_w, config
