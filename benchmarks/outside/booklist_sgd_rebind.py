"""SGD for the list API that replaces the list elements."""
EXPECTED = {"class": "SGD", "api": "booklist", "verdict": "fail", "rule": "sgd", "why": "params[i] = params[i] - lr*grads[i] puts new arrays in the list; layers keep the old ones", "mistake": "rebinds params[i] instead of updating in place"}

import numpy as np


class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for i in range(len(params)):
            params[i] = params[i] - self.lr * grads[i]
