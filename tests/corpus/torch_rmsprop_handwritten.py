"""RMSprop written by hand as a torch.optim.Optimizer, as torch.optim.RMSprop computes it."""

import torch

EXPECTED = {
    "class": "RMSprop",
    "requires": "torch",
    "verdict": "pass",
    "variant": "rmsprop/torch",
    "why": "square_avg = alpha square_avg + (1 - alpha) g g in place; p -= lr g / "
           "(sqrt(square_avg) + eps), torch's defaults lr = 1e-2, alpha = 0.99, eps = 1e-8",
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
                    state["step"] = 0
                    state["square_avg"] = torch.zeros_like(p, memory_format=torch.preserve_format)
                square_avg = state["square_avg"]
                state["step"] += 1
                square_avg.mul_(alpha).addcmul_(p.grad, p.grad, value=1 - alpha)
                avg = square_avg.sqrt().add_(group["eps"])
                p.addcdiv_(p.grad, avg, value=-group["lr"])

        return loss
