"""Adam (CS231n) with the epsilon tacked onto the end of the expression."""
EXPECTED = {'class': 'adam',
 'api': 'cs231n',
 'rule': 'adam',
 'verdict': 'fail',
 'kind': 'numeric',
 'mistake': 'eps-on-update',
 'why': 'written by someone who had not read the checker: next_w = w - lr*mt/np.sqrt(vt) + '
        "eps: eps added to the update, not the denominator (the writer's words, before any "
        'checker ran: eps added to the whole update)'}

# What the writer expected, written before any checker ran (benchmarks/outside.py reads it)
WRITTEN = {'class': 'adam', 'api': 'cs231n', 'verdict': 'fail', 'rule': 'adam', 'why': 'next_w = w - lr*mt/np.sqrt(vt) + eps: eps added to the update, not the denominator', 'mistake': 'eps added to the whole update'}

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
    next_w = w - config["learning_rate"] * mt / np.sqrt(vt) + config["epsilon"]
    return next_w, config
