"""RMSProp (CS231n) without the square root on the cache."""
EXPECTED = {'class': 'rmsprop',
 'api': 'cs231n',
 'rule': 'rmsprop',
 'verdict': 'fail',
 'kind': 'numeric',
 'mistake': 'root-missing',
 'why': 'written by someone who had not read the checker: next_w = w - lr*dw/(cache + eps) '
        "(the writer's words, before any checker ran: sqrt missing in RMSprop denominator)"}

# What the writer expected, written before any checker ran (benchmarks/outside.py reads it)
WRITTEN = {'class': 'rmsprop', 'api': 'cs231n', 'verdict': 'fail', 'rule': 'rmsprop', 'why': 'next_w = w - lr*dw/(cache + eps)', 'mistake': 'sqrt missing in RMSprop denominator'}

import numpy as np


def rmsprop(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault('learning_rate', 1e-2)
    config.setdefault('decay_rate', 0.99)
    config.setdefault('epsilon', 1e-8)
    config.setdefault('cache', np.zeros_like(w))

    config['cache'] = config['decay_rate'] * config['cache'] + (1 - config['decay_rate']) * dw**2
    next_w = w - config['learning_rate'] * dw / (config['cache'] + config['epsilon'])
    return next_w, config
