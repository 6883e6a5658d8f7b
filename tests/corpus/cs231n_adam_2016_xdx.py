"""CS231n's adam as the 2016 optim.py names it: adam(x, dx, config=None) -> (next_x, config)."""

import numpy as np

EXPECTED = {
    "class": "adam",
    "verdict": "pass",
    "variant": "adam/algorithm1",
    "why": "the older assignment's names x, dx and next_x: a function is the CS231n API "
           "whatever its arguments are called",
}


def adam(x, dx, config=None):
    """
    Uses the Adam update rule, which incorporates moving averages of both the
    gradient and its square and a bias correction term.
    """
    if config is None: config = {}
    config.setdefault('learning_rate', 1e-3)
    config.setdefault('beta1', 0.9)
    config.setdefault('beta2', 0.999)
    config.setdefault('epsilon', 1e-8)
    config.setdefault('m', np.zeros_like(x))
    config.setdefault('v', np.zeros_like(x))
    config.setdefault('t', 0)

    next_x = None
    beta1, beta2, eps = config['beta1'], config['beta2'], config['epsilon']
    config['t'] += 1
    config['m'] = beta1 * config['m'] + (1 - beta1) * dx
    config['v'] = beta2 * config['v'] + (1 - beta2) * (dx ** 2)
    mb = config['m'] / (1 - beta1 ** config['t'])
    vb = config['v'] / (1 - beta2 ** config['t'])
    next_x = x - config['learning_rate'] * mb / (np.sqrt(vb) + eps)

    return next_x, config
