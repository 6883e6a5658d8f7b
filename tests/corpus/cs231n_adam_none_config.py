"""CS231n's adam without the `if config is None` guard: adam(w, dw) crashes."""

import numpy as np

EXPECTED = {
    "class": "adam",
    "verdict": "fail",
    "kind": "crash",
    "why": "config.setdefault on the default None raises AttributeError the first time a "
           "caller omits config (the Solver always passes one, so it never shows there)",
}


def adam(w, dw, config=None):
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
