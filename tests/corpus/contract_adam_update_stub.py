"""The book's Adam left as a stub: update's body is a comment and pass."""

import numpy as np

EXPECTED = {
    "class": "Adam",
    "verdict": "fail",
    "kind": "numeric",
    "says": "update is not implemented (line 26: `pass`)",
    "why": "an update that returns without touching anything: every parameter stays put, which "
           "is said as such, with the line, and no mistake is named",
}


class Adam:
    """Adam (Kingma & Ba, 2015): to be written."""

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999):
        self.lr = lr
        self.beta1 = beta1
        self.beta2 = beta2
        self.iter = 0

    def update(self, params, grads):
        # TODO: moving averages m and v, bias correction, then params[key] -= ...
        pass
