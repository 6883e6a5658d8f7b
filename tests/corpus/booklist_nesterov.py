"""Deep Learning from Scratch 2's Nesterov as printed: v updated first, then W moves with it."""

import numpy as np

EXPECTED = {
    "class": "Nesterov",
    "verdict": "fail",
    "kind": "numeric",
    "mistake": "nesterov-early-form",
    "why": "the second volume still has the early form (v = mu v - lr g, then W += mu*mu*v - "
           "(1+mu) lr g with the NEW v) that the first volume's repository later fixed",
}


class Nesterov:
    '''
    Nesterov's Accelerated Gradient (http://arxiv.org/abs/1212.0901)
    '''
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.v = None
        
    def update(self, params, grads):
        if self.v is None:
            self.v = []
            for param in params:
                self.v.append(np.zeros_like(param))

        for i in range(len(params)):
            self.v[i] *= self.momentum
            self.v[i] -= self.lr * grads[i]
            params[i] += self.momentum * self.momentum * self.v[i]
            params[i] -= (1 + self.momentum) * self.lr * grads[i]
