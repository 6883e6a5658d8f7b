"""Plain gradient descent under a name that says nothing about its rule."""

EXPECTED = {
    "class": "GradientDescent",
    "rule": "sgd",
    "verdict": "pass",
    "variant": "sgd/plain",
    "why": "the class name names no rule, so the corpus passes --rule sgd",
}


class GradientDescent:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for key, value in params.items():
            value -= self.lr * grads[key]
            params[key] = value
