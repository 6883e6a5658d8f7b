"""``python -m checker TARGET``: the command line.

Exit codes: 0 the implementation conforms; 1 it does not (a load error, a
crash, a hang and a wrong number all count); 2 the command was misused.
"""

from __future__ import annotations

import argparse
import os
import sys

from ._errors import UsageError

EPILOG = """\
TARGET is one of: pkg.module.Name; path/to/file.py:Name; notebook.ipynb:Name;
or any text holding the class among prose, notes.txt:Name or post.md:Name.
exit codes: 0 conforms, 1 does not conform, 2 misuse of the command line,
3 an internal error of the checker (no verdict)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line and exit 2, as for every misuse
        self.exit(2, f"python -m checker: {message}; see python -m checker --help\n")


def parser() -> argparse.ArgumentParser:
    p = _Parser(prog="python -m checker", epilog=EPILOG,
                formatter_class=argparse.RawDescriptionHelpFormatter,
                description="Judge an optimizer implementation against the oracle generated "
                            "from the spec, in an isolated worker process.")
    p.add_argument("target", metavar="TARGET", help="the class to check")
    p.add_argument("--rule", help="sgd, momentum, nesterov, adagrad, rmsprop or adam "
                                  "(default: inferred from the class name)")
    p.add_argument("--variant", help="demand this exact variant, e.g. eps_hat (default: any "
                                     "recognised variant passes)")
    p.add_argument("--api", choices=["book", "booklist", "cs231n", "torch"],
                   help="the target's shape (default: recognised): book = update(params, grads) "
                        "with dicts; booklist = the same with lists (Deep Learning from Scratch 2); "
                        "cs231n = fn(w, dw, config) -> (next_w, config); torch = a torch.optim.Optimizer")
    p.add_argument("--profile", choices=["quick", "default", "thorough"], default="default",
                   help="how hard to search (default: default)")
    p.add_argument("--seed", type=int, help="make the run reproducible (default: random, printed)")
    p.add_argument("--max-examples", type=int, metavar="N",
                   help="Hypothesis examples for the agreement search (overrides the profile)")
    p.add_argument("--json", metavar="PATH", help="also write the report as JSON to PATH")
    p.add_argument("--extract", action="store_true",
                   help="treat a .py file like a text: take the class and the imports it uses, "
                        "without importing the module (for modules that train on import)")
    p.add_argument("--timeout", type=float, default=5.0, metavar="S",
                   help="seconds each call of the target may take (default: 5)")
    p.add_argument("--no-sandbox", action="store_true",
                   help="run the target without the sandbox (Linux namespaces: no network, "
                        "read-only files, its own uid, nothing left running); for debugging")
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")
    p.add_argument("--verbose", action="store_true", help="show all captured output of the target")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.max_examples is not None and args.max_examples < 1:
        print("python -m checker: --max-examples must be at least 1", file=sys.stderr)
        return 2
    if args.timeout <= 0:
        print("python -m checker: --timeout must be a positive number of seconds", file=sys.stderr)
        return 2
    if args.json:  # a path that cannot be written is misuse: say so before a long run
        folder = os.path.dirname(os.path.abspath(args.json))
        writable = (os.access(args.json, os.W_OK) if os.path.exists(args.json)
                    else os.path.isdir(folder) and os.access(folder, os.W_OK))
        if not writable or os.path.isdir(args.json):
            print(f"python -m checker: cannot write --json {args.json}: no such writable file "
                  f"or folder; pass a path in an existing folder", file=sys.stderr)
            return 2
    from ._check import check
    from ._report import render, write_json

    def progress(message: str) -> None:
        if not args.quiet:
            print(f"  ... {message}", file=sys.stderr, flush=True)

    try:
        report = check(args.target, rule=args.rule, variant=args.variant, api=args.api, profile=args.profile,
                       seed=args.seed, max_examples=args.max_examples, extract_py=args.extract,
                       timeout=args.timeout, progress=progress, sandbox=not args.no_sandbox)
    except UsageError as e:
        print(f"python -m checker: {e}", file=sys.stderr)
        return 2
    except Exception as e:  # never a traceback, never a pass: a bug of ours, said so
        print(f"python -m checker: internal error ({type(e).__name__}: {e}); no verdict was "
              f"reached; please report it with the command line", file=sys.stderr)
        return 3
    print(render(report, verbose=args.verbose))
    if args.json:
        try:
            write_json(report, args.json)
        except OSError as e:
            print(f"python -m checker: cannot write --json {args.json}: {e.strerror}", file=sys.stderr)
            return 2
    return 0 if report.verdict == "pass" else 1
