"""A torch.optim.Adamax subclass that only changes the name: torch's own Adamax underneath."""

import torch

EXPECTED = {
    "class": "MyAdamax",
    "rule": "adamax",
    "requires": "torch",
    "verdict": "pass",
    "variant": "adamax/torch",
    "why": "torch.optim.Adamax renamed: Adam with the infinity norm, lr = 2e-3",
}


class MyAdamax(torch.optim.Adamax):
    """Adamax, registered under this project's name."""
