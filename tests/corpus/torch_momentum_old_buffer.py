"""A hand-written torch momentum SGD that moves the weights before updating its buffer."""

import torch

EXPECTED = {
    "class": "MomentumSGD",
    "requires": "torch",
    "verdict": "fail",
    "kind": "numeric",
    "mistake": "old-velocity",
    "why": "p -= lr buf, then buf = mu buf + g: the step uses the previous buffer (W does not "
           "move at all on the first step); judged as torch's SGD with momentum > 0, which "
           "is what the name asks for (--rule momentum, inferred)",
}


class MomentumSGD(torch.optim.Optimizer):
    def __init__(self, params, lr=0.01, momentum=0.9):
        super().__init__(params, dict(lr=lr, momentum=momentum))

    @torch.no_grad()
    def step(self, closure=None):
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                if "momentum_buffer" not in state:
                    state["momentum_buffer"] = torch.zeros_like(p)
                buf = state["momentum_buffer"]
                p.add_(buf, alpha=-group["lr"])
                buf.mul_(group["momentum"]).add_(p.grad)
        return None
