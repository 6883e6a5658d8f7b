"""SGD that raises SystemExit(0) from update."""

EXPECTED = {
    "class": "SGD",
    "verdict": "fail",
    "kind": ["exit", "crash"],
    "why": "raise SystemExit(0) in update: neither an exception to swallow nor a success",
}


class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        raise SystemExit(0)
