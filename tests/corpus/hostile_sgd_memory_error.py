"""SGD that raises MemoryError itself."""

EXPECTED = {
    "class": "SGD",
    "verdict": "fail",
    "kind": "crash",
    "why": "raise MemoryError in update: reported as a crash, the worker survives",
}


class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        raise MemoryError("pretending to be out of memory")
