"""Adam (CS231n) dividing by v_hat rather than its square root."""
EXPECTED = {'class': 'adam',
 'api': 'cs231n',
 'rule': 'adam',
 'verdict': 'fail',
 'kind': 'numeric',
 'mistake': 'root-missing',
 'why': 'written by someone who had not read the checker: next_w = w - lr*mt/(vt + eps): sqrt '
        "missing (the writer's words, before any checker ran: sqrt missing in the Adam "
        'denominator)'}

# What the writer expected, written before any checker ran (benchmarks/outside.py reads it)
WRITTEN = {'class': 'adam', 'api': 'cs231n', 'verdict': 'fail', 'rule': 'adam', 'why': 'next_w = w - lr*mt/(vt + eps): sqrt missing', 'mistake': 'sqrt missing in the Adam denominator'}

import numpy as np


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
    config["v"] = config["beta2"] * config["v"] + (1 - config["beta2"]) * dw**2
    mt = config["m"] / (1 - config["beta1"] ** config["t"])
    vt = config["v"] / (1 - config["beta2"] ** config["t"])
    next_w = w - config["learning_rate"] * mt / (vt + config["epsilon"])
    return next_w, config
