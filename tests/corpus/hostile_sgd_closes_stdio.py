"""SGD that closes the process's stdout and stderr, then steps the wrong way."""

import os

EXPECTED = {
    "class": "SGD",
    "verdict": "fail",
    "kind": "numeric",
    "why": "os.close(1) and os.close(2) in update: the checker's channel is private pipes, so "
           "the worker still answers and the ascent is caught",
}


class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for fd in (1, 2):
            try:
                os.close(fd)
            except OSError:
                pass
        for key in params:
            params[key] += self.lr * grads[key]
