"""A torch.optim.SGD subclass whose own step applies weight decay with the wrong sign."""

import torch

EXPECTED = {
    "class": "DecayedSGD",
    "requires": "torch",
    "verdict": "fail",
    "kind": "numeric",
    "why": "d_p = grad - weight_decay * p pushes the weights away from zero (torch adds "
           "weight_decay * p), and the default weight_decay = 5e-4 makes every step wrong",
}


class DecayedSGD(torch.optim.SGD):
    def __init__(self, params, lr=0.01, weight_decay=5e-4):
        super().__init__(params, lr=lr, weight_decay=weight_decay)

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()

        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                d_p = p.grad
                if group["weight_decay"] != 0:
                    d_p = d_p.sub(p, alpha=group["weight_decay"])
                p.add_(d_p, alpha=-group["lr"])

        return loss
