"""SGD over lists that puts a new array into the list instead of changing the old one."""

import numpy as np

EXPECTED = {
    "class": "SGD",
    "verdict": "fail",
    "kind": "inplace",
    "says": "rebinds params[0] to a new array "
            "(line 23: `params[i] = params[i] - self.lr * grads[i]`",
    "not_kinds": ["numeric", "dtype"],
    "why": "params[i] = params[i] - lr * grads[i] replaces the list entry; the layers that own "
           "the old arrays (model.params is gathered once) never see the step",
}


class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for i in range(len(params)):
            params[i] = params[i] - self.lr * grads[i]
