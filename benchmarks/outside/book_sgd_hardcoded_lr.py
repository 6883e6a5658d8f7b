"""SGD where the learning rate got hard-coded while debugging."""
EXPECTED = {"class": "SGD", "api": "book", "verdict": "fail", "rule": "sgd", "why": "update uses the literal 0.1, ignoring self.lr", "mistake": "hard-coded lr=0.1 ignores the constructor argument"}

import numpy as np


class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for key in params.keys():
            params[key] -= 0.1 * grads[key]  # TODO put self.lr back
