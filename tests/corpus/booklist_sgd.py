"""Deep Learning from Scratch 2's SGD (common/optimizer.py): params and grads are lists."""

import numpy as np

EXPECTED = {
    "class": "SGD",
    "verdict": "pass",
    "variant": "sgd/plain",
    "why": "the second volume's SGD as printed: params[i] -= lr * grads[i] over range(len(params))",
}


class SGD:
    '''
    確率的勾配降下法（Stochastic Gradient Descent）
    '''
    def __init__(self, lr=0.01):
        self.lr = lr
        
    def update(self, params, grads):
        for i in range(len(params)):
            params[i] -= self.lr * grads[i]
