"""Plain SGD handed to the checker as an Adam (--rule adam), e.g. the wrong class exported."""

EXPECTED = {
    "class": "SGD",
    "rule": "adam",
    "verdict": "fail",
    "kind": "numeric",
    "says": "the numbers match sgd/plain (lr = 0.01), not adam",
    "inferred": {},
    "why": "the numbers are another family's: fingerprinted across families first, the report "
           "says which, quickly, and invents no hard-coded beta1, beta2 or eps for a class that "
           "has none",
}


class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for key in params:
            params[key] -= self.lr * grads[key]
