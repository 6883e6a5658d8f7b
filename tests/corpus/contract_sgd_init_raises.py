"""SGD whose constructor insists on an argument name nobody passes."""

EXPECTED = {
    "class": "SGD",
    "verdict": "fail",
    "kind": "crash",
    "why": "__init__ raises unless a network is passed: the optimizer cannot be built alone",
}


class SGD:
    def __init__(self, lr=0.01, network=None):
        if network is None:
            raise ValueError("SGD needs the network it optimizes")
        self.lr = lr
        self.network = network

    def update(self, params, grads):
        for key in params:
            params[key] -= self.lr * grads[key]
