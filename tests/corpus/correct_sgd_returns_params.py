"""SGD that updates in place and also returns the dict, for chaining."""

EXPECTED = {
    "class": "SGD",
    "verdict": "pass",
    "variant": "sgd/plain",
    "why": "returning the same params dict after updating it in place is harmless",
}


class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for key in params:
            params[key] -= self.lr * grads[key]
        return params
