"""SGD that loops over the elements of each parameter with len()."""

EXPECTED = {
    "class": "SGD",
    "verdict": "fail",
    "kind": "crash",
    "why": "for i in range(len(p)): a 0-d parameter (a scalar) has no len()",
}


class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for key in params:
            p = params[key]
            for i in range(len(p)):
                p[i] -= self.lr * grads[key][i]
