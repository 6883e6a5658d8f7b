"""Nesterov momentum as in torch.optim.SGD(nesterov=True):
buf = mu*buf + g; p -= lr*(g + mu*buf)."""
EXPECTED = {'class': 'NesterovSGD',
 'api': 'torch',
 'rule': 'nesterov',
 'requires': 'torch',
 'verdict': 'pass',
 'variant': 'sgd/torch',
 'why': 'written by someone who had not read the checker: PyTorch nesterov: d_p = g + mu*buf '
        'after buf update, p.add_(d_p, alpha=-lr)'}

# What the writer expected, written before any checker ran (benchmarks/outside.py reads it)
WRITTEN = {'class': 'NesterovSGD', 'api': 'torch', 'verdict': 'pass', 'rule': 'nesterov', 'why': 'PyTorch nesterov: d_p = g + mu*buf after buf update, p.add_(d_p, alpha=-lr)', 'requires': 'torch'}

import torch
from torch.optim import Optimizer


class NesterovSGD(Optimizer):
    def __init__(self, params, lr=0.01, momentum=0.9):
        defaults = {"lr": lr, "momentum": momentum}
        super().__init__(params, defaults)

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            lr, mu = group["lr"], group["momentum"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                g = p.grad
                state = self.state[p]
                if "momentum_buffer" not in state:
                    state["momentum_buffer"] = torch.zeros_like(p)
                buf = state["momentum_buffer"]
                buf.mul_(mu).add_(g)
                d_p = g.add(buf, alpha=mu)
                p.add_(d_p, alpha=-lr)
        return loss
