"""A hand-written torch Adam that leaves out the bias correction."""

import torch

EXPECTED = {
    "class": "Adam",
    "requires": "torch",
    "verdict": "fail",
    "kind": "numeric",
    "mistake": "no-bias-correction",
    "why": "p -= lr * exp_avg / (sqrt(exp_avg_sq) + eps): m and v start at zero and are never "
           "divided by 1 - beta**t, so the first step is about sqrt(1 - b2) / (1 - b1) = 0.32 "
           "of torch's",
}


class Adam(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps))

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()

        for group in self.param_groups:
            beta1, beta2 = group["betas"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                if not state:
                    state["exp_avg"] = torch.zeros_like(p)
                    state["exp_avg_sq"] = torch.zeros_like(p)
                exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]
                exp_avg.mul_(beta1).add_(p.grad, alpha=1 - beta1)
                exp_avg_sq.mul_(beta2).addcmul_(p.grad, p.grad, value=1 - beta2)
                p.addcdiv_(exp_avg, exp_avg_sq.sqrt().add_(group["eps"]), value=-group["lr"])

        return loss
