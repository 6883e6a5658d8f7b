"""SGD that returns from inside its loop: only the first key is ever updated."""

EXPECTED = {
    "class": "SGD",
    "verdict": "fail",
    "kind": "numeric",
    "why": "a `return` indented into the loop: every key after the first keeps its value",
}


class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for key in params:
            params[key] -= self.lr * grads[key]
            return
