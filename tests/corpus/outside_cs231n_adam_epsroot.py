"""Adam, CS231n API, with epsilon under the square root (optax eps_root style)."""
EXPECTED = {'class': 'adam',
 'api': 'cs231n',
 'rule': 'adam',
 'verdict': 'pass',
 'variant': 'adam/eps_inside',
 'why': 'written by someone who had not read the checker: next_w = w - lr*mt/sqrt(vt + eps), '
        'legitimate variant'}

# What the writer expected, written before any checker ran (benchmarks/outside.py reads it)
WRITTEN = {'class': 'adam', 'api': 'cs231n', 'verdict': 'pass', 'rule': 'adam', 'why': 'next_w = w - lr*mt/sqrt(vt + eps), legitimate variant'}

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
    t = config["t"]
    config["m"] = config["beta1"] * config["m"] + (1 - config["beta1"]) * dw
    config["v"] = config["beta2"] * config["v"] + (1 - config["beta2"]) * np.square(dw)
    mt = config["m"] / (1 - config["beta1"] ** t)
    vt = config["v"] / (1 - config["beta2"] ** t)
    next_w = w - config["learning_rate"] * mt / np.sqrt(vt + config["epsilon"])
    return next_w, config
