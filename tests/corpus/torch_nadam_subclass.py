"""A torch.optim.NAdam subclass that only changes the name: torch's own NAdam underneath."""

import torch

EXPECTED = {
    "class": "MyNAdam",
    "rule": "nadam",
    "requires": "torch",
    "verdict": "pass",
    "variant": "nadam/torch",
    "why": "torch.optim.NAdam renamed: momentum_decay = 4e-3 and the running product of mu "
           "in its state",
}


class MyNAdam(torch.optim.NAdam):
    """NAdam, registered under this project's name."""
