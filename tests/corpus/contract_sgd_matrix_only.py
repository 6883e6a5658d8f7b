"""SGD written for weight matrices only: it loops over columns."""

EXPECTED = {
    "class": "SGD",
    "verdict": "fail",
    "kind": "crash",
    "why": "uses p.shape[1], so a bias vector (1-D) raises IndexError",
}


class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for key, p in params.items():
            for j in range(p.shape[1]):
                p[:, j] -= self.lr * grads[key][:, j]
