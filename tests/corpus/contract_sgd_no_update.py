"""SGD whose method is called step, as in PyTorch."""

EXPECTED = {
    "class": "SGD",
    "verdict": "fail",
    "kind": "api",
    "why": "def step(self, params, grads): the book's API calls update",
}


class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def step(self, params, grads):
        for key in params:
            params[key] -= self.lr * grads[key]
