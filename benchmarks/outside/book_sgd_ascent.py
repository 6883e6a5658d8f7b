"""SGD ... going the wrong way."""
EXPECTED = {"class": "SGD", "api": "book", "verdict": "fail", "rule": "sgd", "why": "adds the gradient instead of subtracting it", "mistake": "gradient ascent: W += lr*g"}

import numpy as np


class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for key in params.keys():
            params[key] += self.lr * grads[key]
