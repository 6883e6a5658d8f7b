"""RMSProp, CS231n API, epsilon inside the square root."""
EXPECTED = {"class": "rmsprop", "api": "cs231n", "verdict": "pass", "rule": "rmsprop", "why": "eps inside sqrt(cache + eps), legitimate variant"}

import numpy as np


def rmsprop(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault('learning_rate', 1e-2)
    config.setdefault('decay_rate', 0.99)
    config.setdefault('epsilon', 1e-8)
    config.setdefault('cache', np.zeros_like(w))

    dr = config['decay_rate']
    cache = dr * config['cache'] + (1 - dr) * (dw * dw)
    next_w = w - config['learning_rate'] * dw / np.sqrt(cache + config['epsilon'])
    config['cache'] = cache
    return next_w, config
