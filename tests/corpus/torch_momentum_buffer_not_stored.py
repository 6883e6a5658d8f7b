"""A hand-written torch SGD with momentum that never stores its buffer in self.state."""

import torch

EXPECTED = {
    "class": "MomentumSGD",
    "rule": "sgd",
    "requires": "torch",
    "verdict": "fail",
    "kind": "numeric",
    "mistake": "not-accumulated",
    "why": "buf = state.get('momentum_buffer') is always None because state['momentum_buffer'] "
           "= buf is missing, so buf = g every step: plain SGD (judged as torch's SGD rule, "
           "whose momentum is a switch)",
}


class MomentumSGD(torch.optim.Optimizer):
    def __init__(self, params, lr=0.01, momentum=0.9):
        super().__init__(params, dict(lr=lr, momentum=momentum))

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()

        for group in self.param_groups:
            momentum = group["momentum"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                buf = state.get("momentum_buffer")
                if buf is None:
                    buf = torch.clone(p.grad).detach()
                else:
                    buf.mul_(momentum).add_(p.grad)
                p.add_(buf, alpha=-group["lr"])

        return loss
