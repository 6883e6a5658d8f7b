"""SGD that looks fine in a notebook but rebinds the dict entries."""
EXPECTED = {"class": "SGD", "api": "book", "verdict": "fail", "rule": "sgd", "why": "params[key] = params[key] - lr*g creates new arrays; the network's arrays never change", "mistake": "rebinds params[key] instead of updating in place"}

import numpy as np


class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for key in params.keys():
            params[key] = params[key] - self.lr * grads[key]
