"""A torch.optim.AdamW subclass that only changes the name: torch's own AdamW underneath."""

import torch

EXPECTED = {
    "class": "MyAdamW",
    "rule": "adamw",
    "requires": "torch",
    "verdict": "pass",
    "variant": "adamw/torch",
    "why": "torch.optim.AdamW renamed: decoupled weight decay, 1e-2 by default; its own family, "
           "given with --rule since the name says Adam",
}


class MyAdamW(torch.optim.AdamW):
    """AdamW, registered under this project's name."""
