"""Momentum SGD with L2 weight decay as a torch Optimizer; decay term has the wrong sign."""
EXPECTED = {'class': 'MomentumSGD',
 'api': 'torch',
 'rule': 'momentum',
 'requires': 'torch',
 'verdict': 'fail',
 'kind': 'numeric',
 'why': 'written by someone who had not read the checker: g = grad - wd*p pushes weights away '
        "from zero (only visible with weight_decay > 0) (the writer's words, before any "
        'checker ran: weight-decay sign wrong (grad.add(p, alpha=-weight_decay)))'}

# What the writer expected, written before any checker ran (benchmarks/outside.py reads it)
WRITTEN = {'class': 'MomentumSGD', 'api': 'torch', 'verdict': 'fail', 'rule': 'momentum', 'why': 'g = grad - wd*p pushes weights away from zero (only visible with weight_decay > 0)', 'mistake': 'weight-decay sign wrong (grad.add(p, alpha=-weight_decay))', 'requires': 'torch'}

import torch


class MomentumSGD(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-2, momentum=0.9, weight_decay=0.0):
        defaults = dict(lr=lr, momentum=momentum, weight_decay=weight_decay)
        super().__init__(params, defaults)

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            wd = group["weight_decay"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                d_p = p.grad
                if wd != 0:
                    d_p = d_p.add(p, alpha=-wd)
                state = self.state[p]
                if "momentum_buffer" not in state:
                    state["momentum_buffer"] = torch.clone(d_p).detach()
                else:
                    state["momentum_buffer"].mul_(group["momentum"]).add_(d_p)
                p.add_(state["momentum_buffer"], alpha=-group["lr"])
        return loss
