"""SGD for the vol.2 style API (params and grads are parallel lists)."""
EXPECTED = {"class": "SGD", "api": "booklist", "verdict": "pass", "rule": "sgd", "why": "vol.2 SGD: for i in range(len(params)): params[i] -= lr*grads[i]"}

import numpy as np


class SGD:
    '''
    確率的勾配降下法（Stochastic Gradient Descent）
    '''
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for i in range(len(params)):
            params[i] -= self.lr * grads[i]
