"""Momentum SGD (torch Optimizer) that keeps its buffer in a local variable."""
EXPECTED = {'class': 'MomentumSGD',
 'api': 'torch',
 'rule': 'momentum',
 'requires': 'torch',
 'verdict': 'fail',
 'kind': 'numeric',
 'mistake': 'not-accumulated',
 'why': 'written by someone who had not read the checker: buf is recreated from zeros every '
        "step and never put in self.state, so it is plain SGD (the writer's words, before any "
        'checker ran: momentum buffer not stored in state)'}

# What the writer expected, written before any checker ran (benchmarks/outside.py reads it)
WRITTEN = {'class': 'MomentumSGD', 'api': 'torch', 'verdict': 'fail', 'rule': 'momentum', 'why': 'buf is recreated from zeros every step and never put in self.state, so it is plain SGD', 'mistake': 'momentum buffer not stored in state', 'requires': 'torch'}

import torch


class MomentumSGD(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-2, momentum=0.9):
        super().__init__(params, dict(lr=lr, momentum=momentum))

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
                buf = self.state[p].get("momentum_buffer", torch.zeros_like(p))
                buf = buf * group["momentum"] + p.grad
                p.add_(buf, alpha=-group["lr"])
        return loss
