"""SGD that stores its step counter inside params."""

EXPECTED = {
    "class": "SGD",
    "verdict": "fail",
    "kind": "inplace",
    "why": "params['_t'] = ... adds a key to the caller's dict of parameters",
}


class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for key in list(params):
            if key != "_t":
                params[key] -= self.lr * grads[key]
        params["_t"] = params.get("_t", 0) + 1
