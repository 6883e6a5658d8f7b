"""SGD that copies lr at construction and ignores later changes of opt.lr."""

EXPECTED = {
    "class": "SGD",
    "verdict": "fail",
    "kind": "numeric",
    "why": "steps with a private copy self._lr, so a schedule that sets opt.lr between steps "
           "has no effect",
}


class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr
        self._lr = lr

    def update(self, params, grads):
        for key in params:
            params[key] -= self._lr * grads[key]
