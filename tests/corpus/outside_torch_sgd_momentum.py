"""SGD with momentum, PyTorch semantics: buf = mu*buf + g; p -= lr*buf."""
EXPECTED = {'class': 'MomentumSGD',
 'api': 'torch',
 'rule': 'momentum',
 'requires': 'torch',
 'verdict': 'pass',
 'variant': 'sgd/torch',
 'why': 'written by someone who had not read the checker: momentum_buffer in self.state[p], '
        'first step buf = g, p.add_(buf, alpha=-lr)'}

# What the writer expected, written before any checker ran (benchmarks/outside.py reads it)
WRITTEN = {'class': 'MomentumSGD', 'api': 'torch', 'verdict': 'pass', 'rule': 'momentum', 'why': 'momentum_buffer in self.state[p], first step buf = g, p.add_(buf, alpha=-lr)', 'requires': 'torch'}

import torch


class MomentumSGD(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-2, momentum=0.9):
        if lr < 0.0:
            raise ValueError("Invalid learning rate: {}".format(lr))
        if momentum < 0.0:
            raise ValueError("Invalid momentum value: {}".format(momentum))
        defaults = dict(lr=lr, momentum=momentum)
        super(MomentumSGD, self).__init__(params, defaults)

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()

        for group in self.param_groups:
            mu = group["momentum"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                d_p = p.grad
                state = self.state[p]
                buf = state.get("momentum_buffer")
                if buf is None:
                    buf = torch.clone(d_p).detach()
                    state["momentum_buffer"] = buf
                else:
                    buf.mul_(mu).add_(d_p)
                p.add_(buf, alpha=-group["lr"])
        return loss
