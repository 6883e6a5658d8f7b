"""SGD that climbs the gradient."""

EXPECTED = {
    "class": "SGD",
    "verdict": "fail",
    "kind": "numeric",
    "mistake": "gradient-ascent",
    "why": "params[key] += lr * g: the sign of the step is flipped",
}


class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for key in params.keys():
            params[key] += self.lr * grads[key]
