"""A torch.optim.Adam subclass that only changes the name: torch's own Adam underneath."""

import torch

EXPECTED = {
    "class": "MyAdam",
    "requires": "torch",
    "verdict": "pass",
    "variant": "adam/torch",
    "why": "class MyAdam(torch.optim.Adam) with no body of its own is torch.optim.Adam, "
           "recognised as a torch optimizer by its base class",
}


class MyAdam(torch.optim.Adam):
    """Adam, under a project's own name (for a registry of optimizers, say)."""
