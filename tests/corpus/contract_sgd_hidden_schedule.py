"""SGD that quietly decays its learning rate after ten updates."""

EXPECTED = {
    "class": "SGD",
    "verdict": "fail",
    "kind": "numeric",
    "says": "the numbers follow sgd/plain for the first 10 calls of a fresh instance and leave it "
            "from call 11 on",
    "slow": True,
    "why": "lr is multiplied by 0.1 from the 11th call on: a schedule sgd/plain does not have, "
           "visible only on long runs; no explanation holds on every run (lr = 0.1 hard-coded "
           "would not reproduce the probe), so only where the numbers leave the variant is said",
}


class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr
        self.calls = 0

    def update(self, params, grads):
        self.calls += 1
        lr = self.lr if self.calls <= 10 else self.lr * 0.1
        for key in params:
            params[key] -= lr * grads[key]
