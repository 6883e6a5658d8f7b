"""Generated code kept on disk, so that a process does not derive it again.

Deriving a rule's error bound (`spec.bound.compiled`: the error analysis in SymPy, then
``lambdify`` with common subexpressions) takes 30-150 ms a rule, several rules a check:
about an eighth of a ``python -m checker reference.Adam``, and of the test suite's CPU.
What it produces is Python source, a pure function of the rule's equations and of the
code that derives it, so it is kept in a file named by a hash of both:

- the key hashes every ``.py`` file of the `spec` package (any change to the
  derivation, or to a rule, is a new key), the SymPy and mpmath versions, and the
  rule's own definition (`definition`: its assignments, states and hyperparameters,
  with SymPy's assumptions);
- a file is written whole to a temporary name and renamed, so a reader sees all of it
  or nothing, and two processes writing the same key write the same text;
- a file that does not start with its own key, or whose code does not compile to one
  generated function (`spec.bound._load` checks), is ignored and derived again; a folder
  that cannot be written is no cache at all, never an error.

Where: ``$OPTIMIZER_CONFORMANCE_CACHE`` (``off`` for none), else
``$XDG_CACHE_HOME/optimizer-conformance``, else ``~/.cache/optimizer-conformance``.
The code there is run by the checker, so it must be writable by no one the checker's
user does not trust; a target judged in the sandbox cannot write there (its files are
read-only), one judged without it could, as it could write anything else of that user's.
"""

from __future__ import annotations

import hashlib
import os
import sys
from functools import lru_cache
from pathlib import Path

ENV = "OPTIMIZER_CONFORMANCE_CACHE"


def folder() -> Path | None:
    """The cache's folder, or None when it is turned off."""
    chosen = os.environ.get(ENV)
    if chosen is not None:
        return None if chosen.strip().lower() in ("", "off", "0", "no") else Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "optimizer-conformance"


@lru_cache(maxsize=None)
def _code_version() -> str:
    """A hash of what derives the code: the spec's own source and the libraries it uses."""
    import mpmath
    import sympy

    h = hashlib.sha256(f"{sympy.__version__} {mpmath.__version__} {sys.version_info[:2]}".encode())
    here = Path(__file__).resolve().parent
    for path in sorted(here.glob("*.py")):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def definition(rule) -> str:
    """What of ``rule`` its derived code may depend on, as text (`sympy.srepr`, which
    keeps each symbol's assumptions)."""
    import sympy as sp

    parts = [rule.name]
    parts += [f"{h.name}={sp.srepr(h.symbol)}" for h in rule.hypers]
    parts += [f"{sp.srepr(s.symbol)}:{s.dtype}:{sp.srepr(s.init)}" for s in rule.states]
    parts += [f"{sp.srepr(t)}={sp.srepr(e)}" for t, e in rule.assignments]
    return "\n".join(parts)


def key(kind: str, text: str) -> str:
    return hashlib.sha256(f"{kind}\n{_code_version()}\n{text}".encode()).hexdigest()


def load(k: str) -> str | None:
    """The source kept under key ``k``, or None."""
    where = folder()
    if where is None:
        return None
    try:
        text = (where / f"{k}.py").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    head, _, source = text.partition("\n")
    return source if head == f"# {k}" else None


def store(k: str, source: str) -> None:
    """Keep ``source`` under ``k``; nothing happens where the folder cannot be written."""
    where = folder()
    if where is None:
        return
    tmp = where / f".{k}.{os.getpid()}.tmp"
    try:
        where.mkdir(parents=True, exist_ok=True)
        tmp.write_text(f"# {k}\n{source}", encoding="utf-8")
        os.replace(tmp, where / f"{k}.py")
    except OSError:
        try:
            tmp.unlink()
        except OSError:
            pass
