"""A correct SGD that prints a screenful on every update."""

EXPECTED = {
    "class": "SGD",
    "verdict": "pass",
    "variant": "sgd/plain",
    "why": "debugging output on stdout and stderr is captured and never read as a result",
}

import sys


class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr
        self.calls = 0

    def update(self, params, grads):
        self.calls += 1
        for i in range(300):
            print(f"update {self.calls}: line {i} of debugging output " + "=" * 60)
        print(f"update {self.calls} done", file=sys.stderr)
        for key in params:
            params[key] -= self.lr * grads[key]
