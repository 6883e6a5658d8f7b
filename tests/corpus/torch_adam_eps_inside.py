"""A hand-written torch Adam with epsilon under the root of the corrected second moment."""

import math

import torch

EXPECTED = {
    "class": "Adam",
    "requires": "torch",
    "verdict": "fail",
    "kind": "numeric",
    "mistake": "eps-inside",
    "why": "denom = (exp_avg_sq / bias_correction2 + eps).sqrt(): optax's eps_root placement "
           "in a torch.optim.Optimizer, which is held to torch's Adam (eps outside the root); "
           "the mistake is named, not only the numbers",
}


class Adam(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps))

    @torch.no_grad()
    def step(self, closure=None):
        for group in self.param_groups:
            beta1, beta2 = group["betas"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                if len(state) == 0:
                    state["step"] = 0
                    state["exp_avg"] = torch.zeros_like(p)
                    state["exp_avg_sq"] = torch.zeros_like(p)
                state["step"] += 1
                t = state["step"]
                exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]
                exp_avg.mul_(beta1).add_(p.grad, alpha=1 - beta1)
                exp_avg_sq.mul_(beta2).addcmul_(p.grad, p.grad, value=1 - beta2)
                bias_correction1 = 1 - beta1 ** t
                bias_correction2 = 1 - beta2 ** t
                denom = (exp_avg_sq / bias_correction2 + group["eps"]).sqrt()
                p.addcdiv_(exp_avg, denom, value=-group["lr"] / bias_correction1)
        return None
