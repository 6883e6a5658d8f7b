"""SGD that rebinds params[key] to a new array."""

EXPECTED = {
    "class": "SGD",
    "verdict": "fail",
    "kind": "inplace",
    "says": "rebinds params['W1'] to a new array "
            "(line 21: `params[key] = params[key] - self.lr * grads[key]`",
    "not_kinds": ["numeric", "dtype"],
    "why": "params[key] = params[key] - lr * g: the network's layers keep the old arrays and "
           "stop training",
}


class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for key in params:
            params[key] = params[key] - self.lr * grads[key]
