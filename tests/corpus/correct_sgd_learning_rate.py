"""SGD whose constructor says learning_rate, as Keras does."""

EXPECTED = {
    "class": "SGD",
    "verdict": "pass",
    "variant": "sgd/plain",
    "why": "the constructor argument learning_rate is the spec's lr",
}


class SGD:
    def __init__(self, learning_rate=0.01):
        self.learning_rate = learning_rate

    def update(self, params, grads):
        for name in params:
            params[name] -= self.learning_rate * grads[name]
