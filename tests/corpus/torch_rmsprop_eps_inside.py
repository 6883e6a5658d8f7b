"""A hand-written torch RMSprop with epsilon under the square root."""

import torch

EXPECTED = {
    "class": "RMSprop",
    "requires": "torch",
    "verdict": "fail",
    "kind": "numeric",
    "mistake": "eps-inside",
    "why": "avg = (square_avg + eps).sqrt(): Keras' placement, not torch's (square_avg.sqrt() + "
           "eps); a torch optimizer is held to torch.optim's own variants, where eps = 1e-8 "
           "under the root acts like 1e-4 outside it",
}


class RMSprop(torch.optim.Optimizer):
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
                if len(state) == 0:
                    state["square_avg"] = torch.zeros_like(p, memory_format=torch.preserve_format)
                square_avg = state["square_avg"]
                square_avg.mul_(alpha).addcmul_(p.grad, p.grad, value=1 - alpha)
                avg = square_avg.add(group["eps"]).sqrt_()
                p.addcdiv_(p.grad, avg, value=-group["lr"])

        return loss
