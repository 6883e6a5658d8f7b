"""SGD that raises KeyboardInterrupt from update, as if the user pressed Ctrl-C."""

EXPECTED = {
    "class": "SGD",
    "verdict": "fail",
    "kind": ["crash", "exit"],
    "why": "a BaseException that is not an Exception must still end as a failure, not a pass "
           "or a hung checker",
}


class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        raise KeyboardInterrupt
