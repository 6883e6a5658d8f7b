"""AdaGrad as a torch.optim.Optimizer: sum += g^2; p -= lr*g/(sqrt(sum)+eps)."""
EXPECTED = {"class": "MyAdagrad", "api": "torch", "verdict": "pass", "rule": "adagrad", "why": "state['sum'].addcmul_(g, g), std = sum.sqrt().add_(eps), p.addcdiv_", "requires": "torch"}

import torch


class MyAdagrad(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-2, eps=1e-10):
        super().__init__(params, {"lr": lr, "eps": eps})
        for group in self.param_groups:
            for p in group["params"]:
                self.state[p]["sum"] = torch.zeros_like(p)

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
                grad = p.grad
                state_sum = self.state[p]["sum"]
                state_sum.addcmul_(grad, grad, value=1)
                std = state_sum.sqrt().add_(group["eps"])
                p.addcdiv_(grad, std, value=-group["lr"])
        return loss
