"""SGD whose step is scaled by lr twice."""

EXPECTED = {
    "class": "SGD",
    "verdict": "fail",
    "kind": "numeric",
    "mistake": "lr-twice",
    "why": "step = lr * g is computed and then multiplied by lr again",
}


class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for key in params:
            step = self.lr * grads[key]
            params[key] -= self.lr * step
