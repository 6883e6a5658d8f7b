"""torch.optim.SGD subclassed only to make momentum = 0.9 the default."""

import torch

EXPECTED = {
    "class": "SGDMomentum",
    "rule": "sgd",
    "requires": "torch",
    "verdict": "pass",
    "variant": "sgd/torch",
    "why": "super().__init__(params, lr=lr, momentum=momentum) is torch.optim.SGD itself, "
           "buffer and all; torch's momentum is a switch of its SGD rule, not the book's family",
}


class SGDMomentum(torch.optim.SGD):
    def __init__(self, params, lr=0.01, momentum=0.9):
        super().__init__(params, lr=lr, momentum=momentum)
