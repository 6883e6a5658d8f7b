"""RMSprop as a torch Optimizer with alpha and (1 - alpha) exchanged."""
EXPECTED = {"class": "MyRMSprop", "api": "torch", "verdict": "fail", "rule": "rmsprop", "why": "square_avg.mul_(1-alpha).addcmul_(g, g, value=alpha)", "mistake": "decay swapped: (1-rho)*h + rho*g^2", "requires": "torch"}

import torch


class MyRMSprop(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8):
        super().__init__(params, dict(lr=lr, alpha=alpha, eps=eps))

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
                state = self.state[p]
                if "square_avg" not in state:
                    state["square_avg"] = torch.zeros_like(p)
                sq = state["square_avg"]
                sq.mul_(1 - alpha).addcmul_(p.grad, p.grad, value=alpha)
                p.addcdiv_(p.grad, sq.sqrt().add_(group["eps"]), value=-group["lr"])
        return loss
