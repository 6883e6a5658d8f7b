"""A CS231n adam with epsilon inside the root, as some public solutions write it."""

import numpy as np

EXPECTED = {
    "class": "adam",
    "verdict": "pass",
    "variant": "adam/eps_inside",
    "inferred": {},
    "why": "next_w = w - lr * mt / np.sqrt(vt + eps): epsilon under the root of the corrected "
           "v, optax's eps_root form; a recognised variant with a warning, not a numeric error",
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

    config["t"] += 1
    config["m"] = config["beta1"] * config["m"] + (1 - config["beta1"]) * dw
    config["v"] = config["beta2"] * config["v"] + (1 - config["beta2"]) * dw * dw
    mt = config["m"] / (1 - config["beta1"] ** config["t"])
    vt = config["v"] / (1 - config["beta2"] ** config["t"])
    next_w = w - config["learning_rate"] * mt / np.sqrt(vt + config["epsilon"])
    return next_w, config
