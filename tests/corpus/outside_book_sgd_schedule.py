"""SGD with a 'helpful' built-in step decay."""
EXPECTED = {'class': 'SGD',
 'api': 'book',
 'rule': 'sgd',
 'verdict': 'fail',
 'kind': 'numeric',
 'says': 'leave it from call',
 'why': 'written by someone who had not read the checker: after 10 update calls the lr is '
        "silently divided by 10 (the writer's words, before any checker ran: hidden lr "
        'schedule: lr /= 10 after 10 calls)'}

# What the writer expected, written before any checker ran (benchmarks/outside.py reads it)
WRITTEN = {'class': 'SGD', 'api': 'book', 'verdict': 'fail', 'rule': 'sgd', 'why': 'after 10 update calls the lr is silently divided by 10', 'mistake': 'hidden lr schedule: lr /= 10 after 10 calls'}

import numpy as np


class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr
        self.calls = 0

    def update(self, params, grads):
        self.calls += 1
        if self.calls == 10:
            self.lr /= 10  # decay once training has settled
        for key in params.keys():
            params[key] -= self.lr * grads[key]
