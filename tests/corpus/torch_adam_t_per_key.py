"""A hand-written torch Adam with one step counter for the optimizer, advanced per tensor."""

import torch

EXPECTED = {
    "class": "Adam",
    "requires": "torch",
    "verdict": "fail",
    "kind": "numeric",
    "mistake": "t-per-key",
    "why": "self.t += 1 inside the loop over the parameters: with two tensors t runs 1, 2 in "
           "the first step; torch keeps state['step'] per parameter, advanced once per step()",
}


class Adam(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps))
        self.t = 0

    @torch.no_grad()
    def step(self, closure=None):
        for group in self.param_groups:
            beta1, beta2 = group["betas"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                self.t += 1
                state = self.state[p]
                if not state:
                    state["m"] = torch.zeros_like(p)
                    state["v"] = torch.zeros_like(p)
                m, v = state["m"], state["v"]
                m.mul_(beta1).add_(p.grad, alpha=1 - beta1)
                v.mul_(beta2).addcmul_(p.grad, p.grad, value=1 - beta2)
                m_hat = m / (1 - beta1 ** self.t)
                v_hat = v / (1 - beta2 ** self.t)
                p.sub_(group["lr"] * m_hat / (v_hat.sqrt() + group["eps"]))
        return None
