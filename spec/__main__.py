"""``python -m spec``: the rules, their variants, equations and proven relations."""

from __future__ import annotations

import argparse
import sys

from . import families, family
from ._rule import describe_init
from .errors import SpecError
from .relations import prove_all


def _print_family(f, latex: bool) -> None:
    print(f"{f.name}: {f.title}  (book class {f.book_class})")
    for i, r in enumerate(f.variants):
        tag = "canonical" if i == 0 else "variant"
        print(f"  {r.variant} [{tag}]  {r.title}")
        print("    hyperparameters: " + ", ".join(
            f"{h.name}={h.default:g} in {h.domain}" for h in r.hypers) if r.hypers
              else "    no hyperparameters")
        if r.api:
            print(f"    api: {r.api} only")
        if r.states:
            print("    state: " + ", ".join(f"{s.name}={describe_init(s.init)} ({s.doc})"
                                          for s in r.states))
        for c in r.constraints:
            print(f"    requires: {c.condition}  ({c.reason})")
        print("    one step, t = 1, 2, ... advanced before use:")
        for line in r.equations_text():
            print(f"      {line}")
        if latex:
            for line in r.equations_latex():
                print(f"      $ {line} $")
        for s in r.sources:
            print(f"    source: {s.cite}; defaults {s.describe_defaults()}")
        if r.difference:
            print(f"    differs: {r.difference}")
    print()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m spec",
                                     description="List the update rules, their variants, "
                                                 "equations and proven relations.")
    parser.add_argument("rule", nargs="?", help="one family (sgd, momentum, nesterov, adagrad, "
                                                "rmsprop, adam, adamw, adadelta, adamax, nadam, "
                                                "radam, lion); all when omitted")
    parser.add_argument("--no-latex", action="store_true", help="omit the LaTeX equations")
    parser.add_argument("--no-proofs", action="store_true", help="omit the proven relations")
    parser.add_argument("--markdown", action="store_true",
                        help="print the catalog as Markdown (docs/catalog.md is this output)")
    parser.add_argument("--frameworks", action="store_true",
                        help="print which frameworks compute the same update, as Markdown "
                             "(docs/frameworks.md is this output)")
    args = parser.parse_args(argv)
    if args.frameworks:
        from ._frameworks import frameworks_markdown
        sys.stdout.write(frameworks_markdown())
        return 0
    if args.markdown:
        from ._markdown import catalog_markdown
        sys.stdout.write(catalog_markdown())
        return 0
    try:
        chosen = [family(args.rule)] if args.rule else families()
    except SpecError as e:
        print(f"python -m spec: {e}", file=sys.stderr)
        return 2
    for f in chosen:
        _print_family(f, latex=not args.no_latex)
    if not args.no_proofs:
        print("relations (proven by SymPy now, not sampled):")
        failed = 0
        for rel, proof in prove_all():
            ok = proof.holds == rel.claim
            failed += not ok
            verdict = ("proven" if rel.claim else "disproven (they differ)") if ok else "PROOF FAILED"
            print(f"  [{verdict}] {rel.statement}")
            print(f"      {proof.detail}")
        if failed:
            return 1
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # `python -m spec | head`
        sys.stderr.close()
        sys.exit(0)
