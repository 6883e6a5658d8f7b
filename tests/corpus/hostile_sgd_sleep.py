"""SGD that sleeps for an hour."""

import time

EXPECTED = {
    "class": "SGD",
    "verdict": "fail",
    "kind": "timeout",
    "timeout": 1,
    "why": "time.sleep(3600) in update: a blocked call, not a busy one, must time out too",
}


class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        time.sleep(3600)
