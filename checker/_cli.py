"""``python -m checker TARGET``: the command line.

Exit codes: 0 the implementation conforms; 1 it does not (a load error, a
crash, a hang and a wrong number all count); 2 the command was misused.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys

from ._errors import UsageError

EPILOG = """\
TARGET is one of: pkg.module.Name; path/to/file.py:Name; notebook.ipynb:Name;
or any text holding the class among prose, notes.txt:Name or post.md:Name.
exit codes: 0 conforms, 1 does not conform, 2 misuse of the command line,
3 an internal error of the checker (no verdict).
A folder of submissions: python -m checker grade SUBMISSIONS/ --name Adam
(see python -m checker grade --help)."""


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
    p.add_argument("--api", choices=["book", "booklist", "cs231n", "torch", "optax", "keras"],
                   help="the target's shape (default: recognised): book = update(params, grads) "
                        "with dicts; booklist = the same with lists (Deep Learning from Scratch 2); "
                        "cs231n = fn(w, dw, config) -> (next_w, config); torch = a torch.optim.Optimizer; "
                        "optax = a factory of an optax.GradientTransformation; keras = a Keras 3 "
                        "optimizer (JAX backend)")
    p.add_argument("--profile", choices=["quick", "default", "thorough"], default="default",
                   help="how hard to search (default: default)")
    p.add_argument("--seed", type=int, help="make the run reproducible (default: random, printed)")
    p.add_argument("--max-examples", type=int, metavar="N",
                   help="Hypothesis examples for the agreement search (overrides the profile)")
    p.add_argument("--json", metavar="PATH", help="also write the report as JSON to PATH")
    p.add_argument("--html", metavar="PATH",
                   help="also write the report as one self-contained HTML page to PATH, with "
                        "plots: the path on the book's chapter 6 function beside the oracle's, "
                        "a numeric failure's error per step (needs the [report] extra: matplotlib)")
    p.add_argument("--gradescope", metavar="PATH",
                   help="also write Gradescope's results.json to PATH (one test per property, "
                        "partial credit out of 100; --weights changes it)")
    p.add_argument("--weights", metavar="TOML", help="points per property for --gradescope")
    p.add_argument("--extract", action="store_true",
                   help="treat a .py file like a text: take the class and the imports it uses, "
                        "without importing the module (for modules that train on import)")
    p.add_argument("--timeout", type=float, default=5.0, metavar="S",
                   help="seconds each call of the target may take (default: 5)")
    p.add_argument("--load-timeout", type=float, default=20.0, metavar="S",
                   help="seconds the target's module may take to import (default: 20)")
    p.add_argument("--no-sandbox", action="store_true",
                   help="run the target without the sandbox (Linux namespaces: no network, "
                        "read-only files, its own uid, nothing left running); for debugging")
    p.add_argument("--trace", action="store_true",
                   help="trace the update symbolically on a passing target too (a failing one "
                        "is always traced): the formula it computes, proven equal where SymPy can")
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")
    p.add_argument("--verbose", action="store_true", help="show all captured output of the target")
    return p


def grade_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="python -m checker grade", formatter_class=argparse.RawDescriptionHelpFormatter,
                description="Grade a folder of submissions: each subfolder (or file) judged in "
                            "workers of its own, with the same seed for everyone.",
                epilog="exit codes: 0 every submission conforms, 1 some do not, 2 misuse, "
                       "3 an internal error.\nPartial credit per property: " + ", ".join(
                           f"{k} {v}" for k, v in _weights().items()) + " (out of 100).")
    p.add_argument("submissions", metavar="SUBMISSIONS", help="the folder of submissions")
    p.add_argument("--name", required=True, help="the class (or CS231n function) to judge")
    p.add_argument("--file", help="the file holding it in each submission folder (default: the "
                                  "first .py, .ipynb, .txt or .md file that defines it)")
    p.add_argument("--rule", help="the rule (default: from the name)")
    p.add_argument("--variant", help="demand this variant")
    p.add_argument("--api", choices=["book", "booklist", "cs231n", "torch", "optax", "keras"])
    p.add_argument("--profile", choices=["quick", "default", "thorough"], default="default")
    p.add_argument("--seed", type=int, help="the same for every submission (default: random, printed)")
    p.add_argument("--jobs", type=int, default=1, metavar="N",
                   help="submissions judged at once (pytest-xdist processes; default 1)")
    p.add_argument("--timeout", type=float, default=5.0, metavar="S",
                   help="seconds each call may take (default: 5)")
    p.add_argument("--extract", action="store_true",
                   help="take the class out of .py files without importing them")
    p.add_argument("--csv", metavar="PATH", help="one row per submission")
    p.add_argument("--json", metavar="PATH", help="every report")
    p.add_argument("--junitxml", metavar="PATH", help="JUnit XML (pytest's)")
    p.add_argument("--gradescope", action="store_true",
                   help="a Gradescope results.json per submission, in a folder beside the CSV")
    p.add_argument("--weights", metavar="TOML", help="points per property: a [weights] table")
    return p


def _weights() -> dict:
    from ._items import WEIGHTS
    return WEIGHTS


_FROZEN = False  # gc.freeze() done (gc.get_freeze_count() walks every frozen object)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["grade"]:
        from ._grade import main as grade
        return grade(argv[1:])
    args = parser().parse_args(argv)
    if args.max_examples is not None and args.max_examples < 1:
        print("python -m checker: --max-examples must be at least 1", file=sys.stderr)
        return 2
    for flag, seconds in (("--timeout", args.timeout), ("--load-timeout", args.load_timeout)):
        if not seconds > 0:
            print(f"python -m checker: {flag} must be a positive number of seconds",
                  file=sys.stderr)
            return 2
    if args.html:
        from ._html import INSTALL, have_matplotlib
        if not have_matplotlib():
            print(f"python -m checker: --html draws its plots with matplotlib, which is not "
                  f"installed; {INSTALL}", file=sys.stderr)
            return 2
    for flag, path in (("--json", args.json), ("--gradescope", args.gradescope),
                       ("--html", args.html)):
        # a path that cannot be written is misuse: say so before a long run
        if path and not _writable(path):
            print(f"python -m checker: cannot write {flag} {path}: no such writable file "
                  f"or folder; pass a path in an existing folder", file=sys.stderr)
            return 2
    weights = None
    if args.weights or args.gradescope:
        from ._grade import weights_from
        try:
            weights = weights_from(args.weights)
        except UsageError as e:
            print(f"python -m checker: {e}", file=sys.stderr)
            return 2
    # the template the workers fork from imports NumPy (and torch) while this process
    # imports SymPy and the spec: a torch verdict saves one torch import's wait
    from ._session import prestart
    prestart(args.target, api=args.api, sandbox=not args.no_sandbox)
    from ._check import check
    from ._report import render, write_json

    # what the imports made (SymPy, the spec's rules) lives as long as this process: keep
    # it out of every collection (Hypothesis collects once on first use, and each full
    # collection would walk all of it again); once, for a process that calls main again
    global _FROZEN
    if not _FROZEN:
        gc.freeze()
        _FROZEN = True

    bar = _Bar(sys.stderr) if not args.quiet and _is_terminal(sys.stderr) else None

    def progress(message: str) -> None:
        if args.quiet or bar is not None and bar.show(message):
            return
        print(f"  ... {message}", file=sys.stderr, flush=True)

    try:
        report = check(args.target, rule=args.rule, variant=args.variant, api=args.api, profile=args.profile,
                       seed=args.seed, max_examples=args.max_examples, extract_py=args.extract,
                       timeout=args.timeout, load_timeout=args.load_timeout, progress=progress,
                       sandbox=not args.no_sandbox, root=os.getcwd(), plots=bool(args.html),
                       trace=args.trace)
    except UsageError as e:
        print(f"python -m checker: {e}", file=sys.stderr)
        if args.gradescope:  # an autograder needs its results.json whatever went wrong
            from ._grade import gradescope_results
            from ._report import write_json
            try:
                write_json(None, args.gradescope, gradescope_results(None, weights, str(e)))
            except OSError:
                pass
        return 2
    except Exception as e:  # never a traceback, never a pass: a bug of ours, said so
        print(f"python -m checker: internal error ({type(e).__name__}: {e}); no verdict was "
              f"reached; please report it with the command line", file=sys.stderr)
        return 3
    if bar is not None:
        bar.end()
    print(render(report, verbose=args.verbose))
    if args.gradescope:
        from ._grade import gradescope_results
        results = gradescope_results(report, weights, seconds=report.elapsed)
    if args.html:
        from ._html import write_html
        try:
            write_html(report, args.html)
        except OSError as e:
            print(f"python -m checker: cannot write --html {args.html}: {e.strerror}",
                  file=sys.stderr)
            return 2
    for flag, path, data in (("--json", args.json, None),
                             ("--gradescope", args.gradescope, args.gradescope and results)):
        if not path:
            continue
        try:
            write_json(report, path, data)
        except OSError as e:
            print(f"python -m checker: cannot write {flag} {path}: {e.strerror}", file=sys.stderr)
            return 2
    return 0 if report.verdict == "pass" else 1


def _is_terminal(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class _Bar:
    """On a terminal, the search for disagreement as a bar redrawn in place (a thorough
    profile draws 300 problems); its count messages are then not printed as lines."""

    WIDTH = 30

    def __init__(self, stream):
        self.stream, self.total, self.open = stream, None, False

    def show(self, message: str) -> bool:
        import re
        if (m := re.match(r"searching for disagreement \((\d+) examples\)", message)):
            self.end()
            print(f"  ... {message}", file=self.stream, flush=True)
            self.total = int(m.group(1))
            self.draw(0)
            return True
        if self.total and (m := re.match(r"agreement: (\d+) examples", message)):
            self.draw(int(m.group(1)))
            return True
        self.end()
        return False

    def draw(self, done: int) -> None:
        done = min(done, self.total)
        full = self.WIDTH * done // self.total
        self.stream.write(f"\r      [{'#' * full}{'.' * (self.WIDTH - full)}] "
                          f"{done}/{self.total} problems")
        self.stream.flush()
        self.open = True

    def end(self) -> None:
        if self.open:
            self.stream.write("\n")
            self.stream.flush()
        self.open, self.total = False, None


def _writable(path: str) -> bool:
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        return False
    return (os.access(path, os.W_OK) if os.path.exists(path)
            else os.path.isdir(folder) and os.access(folder, os.W_OK))
