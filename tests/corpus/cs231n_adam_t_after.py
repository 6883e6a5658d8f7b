"""CS231n's adam with the step counter advanced after it is used: t = 0 on the first step."""

import numpy as np

EXPECTED = {
    "class": "adam",
    "verdict": "fail",
    "kind": "nonfinite",
    "mistake": "t-used-before-advanced",
    "why": "the bias correction reads config['t'] before config['t'] += 1, so the first step "
           "divides m by 1 - beta1**0 = 0",
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
    config.setdefault("t", 0)

    config["m"] = config["beta1"] * config["m"] + (1 - config["beta1"]) * dw
    config["v"] = config["beta2"] * config["v"] + (1 - config["beta2"]) * (dw ** 2)
    mt = config["m"] / (1 - config["beta1"] ** config["t"])
    vt = config["v"] / (1 - config["beta2"] ** config["t"])
    next_w = w - config["learning_rate"] * mt / (np.sqrt(vt) + config["epsilon"])
    config["t"] += 1

    return next_w, config
