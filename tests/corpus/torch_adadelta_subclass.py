"""A torch.optim.Adadelta subclass that only changes the name: torch's own Adadelta underneath."""

import torch

EXPECTED = {
    "class": "MyAdadelta",
    "rule": "adadelta",
    "requires": "torch",
    "verdict": "pass",
    "variant": "adadelta/torch",
    "why": "torch.optim.Adadelta renamed, with torch's lr = 1.0, rho = 0.9 and eps = 1e-6",
}


class MyAdadelta(torch.optim.Adadelta):
    """Adadelta, registered under this project's name."""
