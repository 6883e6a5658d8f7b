"""torch.optim.SGD with nesterov=True, under a name that says Nesterov."""

import torch

EXPECTED = {
    "class": "NesterovSGD",
    "requires": "torch",
    "verdict": "pass",
    "variant": "sgd/torch",
    "why": "PyTorch's Nesterov momentum is torch.optim.SGD(nesterov=True): the rule nesterov, "
           "inferred from the name, is judged as sgd/torch with nesterov pinned on",
}


class NesterovSGD(torch.optim.SGD):
    def __init__(self, params, lr=0.01, momentum=0.9):
        super().__init__(params, lr=lr, momentum=momentum, nesterov=True)
