"""A torch.optim.Adagrad subclass that only changes the name: torch's own Adagrad underneath."""

import torch

EXPECTED = {
    "class": "MyAdagrad",
    "requires": "torch",
    "verdict": "pass",
    "variant": "adagrad/torch",
    "why": "torch.optim.Adagrad renamed: h += g g from 0, W -= lr g / (sqrt(h) + 1e-10), "
           "recognised as a torch optimizer by its base class",
}


class MyAdagrad(torch.optim.Adagrad):
    """Adagrad, registered under this project's name."""
