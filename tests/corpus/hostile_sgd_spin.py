"""SGD that never returns from update."""

EXPECTED = {
    "class": "SGD",
    "verdict": "fail",
    "kind": "timeout",
    "timeout": 1,
    "why": "while True: pass in update; the worker must be killed after --timeout",
}


class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        while True:
            pass
