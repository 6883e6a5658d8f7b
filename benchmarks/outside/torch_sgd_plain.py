"""Plain SGD as a torch.optim.Optimizer subclass (the 'write your own optimizer' exercise)."""
EXPECTED = {"class": "PlainSGD", "api": "torch", "verdict": "pass", "rule": "sgd", "why": "param_groups loop, p.add_(p.grad, alpha=-lr) under torch.no_grad", "requires": "torch"}

import torch
from torch.optim import Optimizer


class PlainSGD(Optimizer):
    def __init__(self, params, lr=1e-2):
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        super().__init__(params, dict(lr=lr))

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            lr = group["lr"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                p.add_(p.grad, alpha=-lr)
        return loss
