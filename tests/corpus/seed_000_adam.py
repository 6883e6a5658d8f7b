"""Seed 000, cell In [None]: `class Adam:` with no body (the export ends there)."""

import numpy as np

EXPECTED = {
    "class": "Adam",
    "verdict": "fail",
    "kind": "load",
    "says": "no body",
    "why": "the class statement has no body: a SyntaxError, so nothing loads",
}

# ADAM
class Adam:
