"""A torch.optim.RAdam subclass that only changes the name: torch's own RAdam underneath."""

import torch

EXPECTED = {
    "class": "MyRAdam",
    "rule": "radam",
    "requires": "torch",
    "verdict": "pass",
    "variant": "radam/torch",
    "why": "torch.optim.RAdam renamed: the rectified step once rho_t > 5, an unadapted one before",
}


class MyRAdam(torch.optim.RAdam):
    """RAdam, registered under this project's name."""
