"""CS231n's adam with a mutable default: def adam(w, dw, config={})."""

import numpy as np

EXPECTED = {
    "class": "adam",
    "verdict": "fail",
    "kind": "state",
    "says": "mutable default",
    "why": "config={} is one dict for every call that omits config, so the second parameter "
           "finds the first one's m, v and t in it (the Solver, which always passes a config, "
           "never notices)",
}


def adam(w, dw, config={}):
    config.setdefault("learning_rate", 1e-3)
    config.setdefault("beta1", 0.9)
    config.setdefault("beta2", 0.999)
    config.setdefault("epsilon", 1e-8)
    config.setdefault("m", np.zeros_like(w))
    config.setdefault("v", np.zeros_like(w))
    config.setdefault("t", 0)

    config["t"] += 1
    config["m"] = config["beta1"] * config["m"] + (1 - config["beta1"]) * dw
    config["v"] = config["beta2"] * config["v"] + (1 - config["beta2"]) * (dw ** 2)
    mt = config["m"] / (1 - config["beta1"] ** config["t"])
    vt = config["v"] / (1 - config["beta2"] ** config["t"])
    next_w = w - config["learning_rate"] * mt / (np.sqrt(vt) + config["epsilon"])

    return next_w, config
