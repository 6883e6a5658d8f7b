"""CS231n's adam with config['t'] starting at 1 and advanced before use: t = 2 first."""

import numpy as np

EXPECTED = {
    "class": "adam",
    "verdict": "fail",
    "kind": "numeric",
    "mistake": "t-starts-at-1",
    "why": "config.setdefault('t', 1) then config['t'] += 1: the first step is bias-corrected "
           "with t = 2, so every step is too short at the start",
}


def adam(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-3)
    config.setdefault("beta1", 0.9)
    config.setdefault("beta2", 0.999)
    config.setdefault("epsilon", 1e-8)
    config.setdefault("m", np.zeros_like(w))
    config.setdefault("v", np.zeros_like(w))
    config.setdefault("t", 1)

    config["t"] += 1
    config["m"] = config["beta1"] * config["m"] + (1 - config["beta1"]) * dw
    config["v"] = config["beta2"] * config["v"] + (1 - config["beta2"]) * (dw ** 2)
    mt = config["m"] / (1 - config["beta1"] ** config["t"])
    vt = config["v"] / (1 - config["beta2"] ** config["t"])
    next_w = w - config["learning_rate"] * mt / (np.sqrt(vt) + config["epsilon"])

    return next_w, config
