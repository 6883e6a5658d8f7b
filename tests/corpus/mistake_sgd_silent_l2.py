"""SGD with weight decay nobody asked for."""

EXPECTED = {
    "class": "SGD",
    "verdict": "fail",
    "kind": "numeric",
    "mistake": "silent-l2",
    "why": "the gradient gets 1e-3 * W added before the step: a silent L2 term",
}


class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for key in params:
            g = grads[key] + 1e-3 * params[key]
            params[key] -= self.lr * g
