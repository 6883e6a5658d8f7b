"""Adam in the CS231n API but with the bias correction folded into the step size."""
EXPECTED = {"class": "adam", "api": "cs231n", "rule": "adam", "verdict": "fail", "kind": "dtype",
            "says": "NEP 50",
            "why": "written as correct by someone who had not read the checker (the book's lr_t form, state in config); the checker is right and the writer was not: np.sqrt of a Python float is a NumPy float64 scalar, and under NumPy 2 (NEP 50) it turns a float32 w into a float64 next_w"}

# What the writer expected, written before any checker ran (benchmarks/outside.py reads it)
WRITTEN = {'class': 'adam', 'api': 'cs231n', 'verdict': 'pass', 'rule': 'adam', 'why': 'lr_t = lr*sqrt(1-b2^t)/(1-b1^t) form, state stored in config'}

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

    b1, b2 = config['beta1'], config['beta2']
    config['t'] = t = config['t'] + 1
    m = config['m'] + (1 - b1) * (dw - config['m'])
    v = config['v'] + (1 - b2) * (dw * dw - config['v'])
    lr_t = config['learning_rate'] * np.sqrt(1 - b2 ** t) / (1 - b1 ** t)
    next_w = w - lr_t * m / (np.sqrt(v) + config['epsilon'])
    config['m'], config['v'] = m, v
    return next_w, config
