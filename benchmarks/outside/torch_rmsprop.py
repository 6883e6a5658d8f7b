"""RMSprop as a torch.optim.Optimizer (same maths as torch.optim.RMSprop, centered=False, momentum=0)."""
EXPECTED = {"class": "MyRMSprop", "api": "torch", "verdict": "pass", "rule": "rmsprop", "why": "square_avg.mul_(alpha).addcmul_(g, g, 1-alpha); p.addcdiv_(g, sqrt+eps, -lr)", "requires": "torch"}

import torch
from torch.optim.optimizer import Optimizer


class MyRMSprop(Optimizer):
    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8):
        defaults = dict(lr=lr, alpha=alpha, eps=eps)
        super().__init__(params, defaults)

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            alpha = group["alpha"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                grad = p.grad
                state = self.state[p]
                if not state:
                    state["step"] = 0
                    state["square_avg"] = torch.zeros_like(p)
                square_avg = state["square_avg"]
                state["step"] += 1
                square_avg.mul_(alpha).addcmul_(grad, grad, value=1 - alpha)
                avg = square_avg.sqrt().add_(group["eps"])
                p.addcdiv_(grad, avg, value=-group["lr"])
        return loss
