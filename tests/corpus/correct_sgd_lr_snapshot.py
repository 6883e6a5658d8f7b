"""SGD that copies lr at construction and ignores later changes of opt.lr."""

EXPECTED = {
    "class": "SGD",
    "verdict": "pass",
    "variant": "sgd/plain",
    "warns": "has no effect",
    "why": "steps with a private copy self._lr: right for a fixed lr, so a pass, but a schedule "
           "that sets opt.lr between steps would do nothing, which the report warns about "
           "(was a numeric failure until code written outside the project showed the same "
           "pattern in a correct closure-built AdaGrad)",
}


class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr
        self._lr = lr

    def update(self, params, grads):
        for key in params:
            params[key] -= self._lr * grads[key]
