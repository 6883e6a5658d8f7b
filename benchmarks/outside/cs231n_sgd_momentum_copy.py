"""SGD+momentum that copies w and updates the copy in place."""
EXPECTED = {"class": "sgd_momentum", "api": "cs231n", "verdict": "pass", "rule": "momentum", "why": "next_w = w.copy(); next_w += v, velocity stored in config"}

import numpy as np


def sgd_momentum(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault('learning_rate', 1e-2)
    config.setdefault('momentum', 0.9)
    if 'velocity' not in config:
        config['velocity'] = np.zeros_like(w)

    v = config['momentum'] * config['velocity'] - config['learning_rate'] * dw
    next_w = w.copy()
    next_w += v
    config['velocity'] = v
    return next_w, config
