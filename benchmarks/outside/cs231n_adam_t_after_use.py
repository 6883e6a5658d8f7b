"""Adam (CS231n) that increments t at the end of the step."""
EXPECTED = {"class": "adam", "api": "cs231n", "verdict": "fail", "rule": "adam", "why": "t is used while still 0 on the first call (1 - beta**0 = 0, division by zero)", "mistake": "t incremented after use instead of before"}

import numpy as np


def adam(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault('learning_rate', 1e-3)
    config.setdefault('beta1', 0.9)
    config.setdefault('beta2', 0.999)
    config.setdefault('epsilon', 1e-8)
    config.setdefault('m', np.zeros_like(w))
    config.setdefault('v', np.zeros_like(w))
    config.setdefault('t', 0)

    b1, b2, t = config['beta1'], config['beta2'], config['t']
    config['m'] = b1 * config['m'] + (1 - b1) * dw
    config['v'] = b2 * config['v'] + (1 - b2) * dw * dw
    mt = config['m'] / (1 - b1 ** t)
    vt = config['v'] / (1 - b2 ** t)
    next_w = w - config['learning_rate'] * mt / (np.sqrt(vt) + config['epsilon'])
    config['t'] = t + 1
    return next_w, config
