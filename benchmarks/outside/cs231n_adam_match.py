"""Adam, CS231n API, using a match statement to normalise the config argument."""
EXPECTED = {"class": "adam", "api": "cs231n", "verdict": "pass", "rule": "adam", "why": "match on config (None or dict), then the standard Adam update"}

import numpy as np


def adam(w, dw, config=None):
    match config:
        case None:
            config = {}
        case dict():
            pass
        case _:
            raise TypeError("config must be a dict")
    defaults = {"learning_rate": 1e-3, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8}
    for k, val in defaults.items():
        config.setdefault(k, val)
    config.setdefault("m", np.zeros_like(w))
    config.setdefault("v", np.zeros_like(w))
    config.setdefault("t", 0)

    config["t"] += 1
    b1, b2, t = config["beta1"], config["beta2"], config["t"]
    m = b1 * config["m"] + (1 - b1) * dw
    v = b2 * config["v"] + (1 - b2) * dw ** 2
    m_hat = m / (1 - b1 ** t)
    v_hat = v / (1 - b2 ** t)
    next_w = w - config["learning_rate"] * m_hat / (np.sqrt(v_hat) + config["epsilon"])
    config["m"] = m
    config["v"] = v
    return next_w, config
