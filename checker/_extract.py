"""Turn a TARGET into Python source that the worker can execute as a module.

A TARGET names a class in one of four places::

    pkg.module.Name          an importable module              kind "module"
    path/to/file.py:Name     a Python file                     kind "file"
    notebook.ipynb:Name      the code cells of a notebook      kind "notebook"
    notes.txt:Name           any other text: an exported
                             notebook, a blog post, notes      kind "text"

Learners' optimizers mostly live among prose, with their ``import numpy as np`` in
some earlier cell.  `extract` cuts the class block out *as it is* -- bugs included,
since finding them is the point -- and puts before it the imports and top-level
helpers the class uses, so that it runs on its own.  Each line of the result maps
back to its line in the original file, so that a crash is reported where the
learner wrote it.

Nothing here executes the code under test; the worker does, in another process.
"""

from __future__ import annotations

import ast
import difflib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ._errors import UsageError

__all__ = ["ASSUMED_IMPORTS", "Extracted", "Target", "extract", "extract_cells", "parse_target",
           "read_py"]

# Aliases so conventional that a snippet using one without importing it almost
# surely imported it in a cell the export dropped.  Only these: assuming `torch` or
# `pd` would hide real mistakes.
ASSUMED_IMPORTS = {"np": "import numpy as np", "math": "import math", "copy": "import copy"}

# Suffixes that make a colon-less TARGET a file named without its class, rather
# than a dotted module path.
_FILE_SUFFIXES = {".py", ".ipynb", ".txt", ".md", ".markdown", ".rst", ".html", ".json"}

_CLASS_RE = re.compile(r"^([ \t]*)class[ \t]+([^\W\d]\w*)[ \t]*[(:]")
# CS231n's optimizers are top-level functions: def adam(w, dw, config=None)
_FUNC_RE = re.compile(r"^()def[ \t]+([^\W\d]\w*)[ \t]*\((?=[^)]*\bconfig\b)")


def _target_def(line: str):
    """The class, or CS231n-style function, that ``line`` starts, if any."""
    return _CLASS_RE.match(line) or _FUNC_RE.match(line)
_TOPLEVEL_DEF_RE = re.compile(r"^(?:async[ \t]+)?(?:def|class)[ \t]+([^\W\d]\w*)")
_TOPLEVEL_ASSIGN_RE = re.compile(r"^([^\W\d]\w*)[ \t]*(?::[^=\n]+)?=(?!=)")
_IMPORT_RE = re.compile(r"^(?:import|from)[ \t]+[^\W\d]")
# `In [3]:`, `In [ ]:`, `Out[3]:` -- the cell markers of exported notebooks.
_MARKER_RE = re.compile(r"^[ \t]*(?:In|Out)[ \t]*\[[^\]]*\][ \t]*:")
_INDENT = " \t\xa0\x0c"
_WORD_RE = re.compile(r"(?<![.\w])[^\W\d]\w*")

# One line of an input: its text, its line in the original file (None if it cannot
# be located), and for notebooks its (cell number, line in cell).
_Line = tuple[str, "int | None", "tuple[int, int] | None"]


@dataclass(frozen=True)
class Target:
    """A parsed TARGET: where the class lives and what it is called."""

    kind: str  # "module", "file", "notebook" or "text"
    path: Path | None  # for every kind but "module"
    module: str | None  # for kind "module"
    class_name: str
    spec: str = ""  # the TARGET as the user wrote it


@dataclass
class Extracted:
    """Source to execute as a module, and how to trace its lines back.

    ``line_map[n - 1]`` is the original line of source line ``n``, or None for a
    line the extractor wrote (an assumed import, a blank separator).  For a
    notebook the original line is the line of the ``.ipynb`` JSON holding that
    source line, found best-effort; ``cells`` then gives (cell number, line in
    cell), which is what a notebook user can find.
    """

    source: str
    class_name: str
    origin_path: Path
    line_map: list[int | None]
    warnings: list[str] = field(default_factory=list)
    assumed_imports: list[str] = field(default_factory=list)
    filename: str = ""  # what to pass to compile(); diagnosis matches frames on it
    cells: list[tuple[int, int] | None] | None = None

    def original_line(self, n: int) -> int | None:
        return self.line_map[n - 1] if 1 <= n <= len(self.line_map) else None

    def cell_detail(self, n: int) -> str | None:
        if self.cells is None or not 1 <= n <= len(self.cells) or self.cells[n - 1] is None:
            return None
        cell, line = self.cells[n - 1]
        return f"cell {cell}, line {line}"

    @property
    def lines(self) -> list[str]:
        """The source's lines, counted as Python counts them (str.splitlines also splits at \\f)."""
        return _split_lines(self.source)

    def where(self, n: int) -> str:
        line, detail = self.original_line(n), self.cell_detail(n)
        text = f"{self.origin_path}:{line}" if line is not None else str(self.origin_path)
        return f"{text} ({detail})" if detail else text


def parse_target(target: str, root: str | Path | None = None) -> Target:
    """Parse ``pkg.module.Name``, ``file.py:Name``, ``nb.ipynb:Name`` or ``notes.txt:Name``.

    A relative file path is taken from ``root`` (the current folder when None)."""
    spec = target.strip()
    if not spec:
        raise UsageError("empty TARGET; name a class as pkg.module.Name or path/to/file.py:Name")
    head, colon, name = spec.rpartition(":")
    if not colon:
        if _looks_like_file(spec):
            raise UsageError(f"TARGET {spec!r} names a file but not the class in it; write {spec}:ClassName")
        parts = spec.split(".")
        if len(parts) < 2 or not all(p.isidentifier() for p in parts):
            raise UsageError(
                f"TARGET {spec!r} is neither pkg.module.Name nor path:Name; "
                "write e.g. mypkg.optim.Adam or optim.py:Adam"
            )
        return Target("module", None, ".".join(parts[:-1]), parts[-1], spec)
    if not head:
        raise UsageError(f"TARGET {spec!r} names no file; write path/to/file.py:{name or 'ClassName'}")
    if not name:
        raise UsageError(f"TARGET {spec!r} ends with ':' but names no class; write {head}:ClassName")
    if not name.isidentifier():
        hint = f"{spec}:ClassName" if _looks_like_file(name) else f"{head}:Adam"
        raise UsageError(f"{name!r} in TARGET {spec!r} is not a class name (an identifier); write {hint}")
    path = Path(head) if root is None or Path(head).is_absolute() else Path(root) / head
    if not path.exists() and not _looks_like_file(head) and all(p.isidentifier() for p in head.split(".")):
        return Target("module", None, head, name, spec)  # entry-point style pkg.module:Name
    if not path.exists():
        where = Path.cwd() if root is None else Path(root)
        raise UsageError(f"no such file {head!r} (in TARGET {spec!r}); check the path from {where}")
    if path.is_dir():
        raise UsageError(f"{head!r} is a directory (in TARGET {spec!r}); name a file: {head}/file.py:{name}")
    suffix = path.suffix.lower()
    kind = "file" if suffix == ".py" else "notebook" if suffix == ".ipynb" else "text"
    return Target(kind, path, None, name, spec)


def _looks_like_file(text: str) -> bool:
    return "/" in text or "\\" in text or Path(text).suffix.lower() in _FILE_SUFFIXES or Path(text).is_file()


def _as_target(target: Target | str) -> Target:
    return target if isinstance(target, Target) else parse_target(target)


def read_py(target: Target | str) -> Extracted:
    """The whole of a ``.py`` file, unchanged, after checking that it defines the class.

    The worker imports the file itself; this gives the diagnosis the text of its
    lines.  A file with a syntax error is still accepted when a regex finds the
    class, so that the error is reported as a load error rather than a usage error.
    """
    t = _as_target(target)
    if t.path is None:
        raise UsageError(f"TARGET {t.spec!r} is a module, not a file; read_py needs path/to/file.py:Name")
    warnings: list[str] = []
    text = _read_text(t.path, warnings)
    try:
        tree = ast.parse(text)
    except SyntaxError:
        names = [m.group(2) for line in _split_lines(text) if (m := _CLASS_RE.match(line)) and not m.group(1)]
    else:
        names = [n.name for n in tree.body if isinstance(n, ast.ClassDef) or (
            isinstance(n, ast.FunctionDef) and (_cs231n_shaped(n) or _optax_shaped(n)))]
        # A module may also bind the name by import or assignment (`Adam = make_adam()`).
        bound = {x.id for n in tree.body if isinstance(n, ast.Assign) for x in n.targets
                 if isinstance(x, ast.Name)}
        bound |= {a.asname or a.name.split(".")[0] for n in tree.body
                  if isinstance(n, (ast.Import, ast.ImportFrom)) for a in n.names}
        if t.class_name in bound:
            names.append(t.class_name)
    if t.class_name not in names:
        raise UsageError(_not_found(t, names))
    n_lines = len(_split_lines(text))
    return Extracted(text, t.class_name, t.path, list(range(1, n_lines + 1)), warnings, [], str(t.path))


def _optax_shaped(node: ast.FunctionDef) -> bool:
    """A factory of an optax transformation: it names ``optax`` and returns something
    (``return optax.chain(...)``), as ``_apis._is_optax_factory`` recognises it."""
    names = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
    return "optax" in names and any(isinstance(n, ast.Return) for n in ast.walk(node))


def _cs231n_shaped(node: ast.FunctionDef) -> bool:
    """CS231n's optimizers: ``def adam(w, dw, config=None)``."""
    names = [a.arg for a in node.args.posonlyargs + node.args.args + node.args.kwonlyargs]
    return len(names) >= 3 and "config" in names[2:]


def extract(target: Target | str, *, extract_py: bool = False) -> Extracted:
    """Cut the class out of a notebook or text (or a ``.py`` with ``extract_py``).

    The source is: the imports the class uses, any assumed import (with a
    warning), the top-level helpers the class uses, then the class block.
    """
    t = _as_target(target)
    if t.kind == "module":
        fix = f"path/to/module.py:{t.class_name}"
        raise UsageError(f"TARGET {t.spec!r} is a module; extraction needs a file, as {fix}")
    if t.kind == "file" and not extract_py:
        return read_py(t)
    assert t.path is not None
    warnings: list[str] = []
    text = _read_text(t.path, warnings)
    units = _notebook_units(t.path, text) if t.kind == "notebook" else [_text_unit(text)]
    return _extract_units(t, units, warnings)


def extract_cells(cells: list[str], class_name: str, label: str = "<notebook>") -> Extracted:
    """Cut the class out of cells run in a live kernel (IPython's ``In``, in execution order):
    each cell a unit, its lines numbered within the cell, as for a notebook file."""
    t = Target("notebook", Path(label), None, class_name, f"{label}:{class_name}")
    units = [[(line, None, (n, k)) for k, line in enumerate(_split_lines(cell), 1)]
             for n, cell in enumerate(cells, 1) if cell]
    return _extract_units(t, units, [])


def _extract_units(t: Target, units: list[list[_Line]], warnings: list[str]) -> Extracted:
    classes: dict[str, list[tuple[int, int]]] = {}
    for u, unit in enumerate(units):
        for i, (line, _, _) in enumerate(unit):
            if m := _target_def(line):
                classes.setdefault(m.group(2), []).append((u, i))
    if t.class_name not in classes:
        raise UsageError(_not_found(t, list(classes)))
    found = classes[t.class_name]
    # Rerunning notebook cells makes the last definition the live one.
    top = [p for p in found if not _target_def(units[p[0]][p[1]][0]).group(1)]
    u, i = (top or found)[-1]
    if len(found) > 1:
        where = ", ".join(_describe_line(units[a][b]) for a, b in found)
        last = _describe_line(units[u][i])
        warnings.append(f"class {t.class_name} is defined {len(found)} times ({where}); using the last, {last}")
    block = _block(units[u], i)

    helper_names, helpers = _helpers(units, t.class_name, block)
    needed = set().union(*(_used_names(b) for b in [block, *helpers]))
    imports = [imp for imp in _imports(units) if imp[3] & needed]
    bound = set().union(set(), *(imp[3] for imp in imports))
    assumed = [stmt for alias, stmt in ASSUMED_IMPORTS.items() if alias in needed - bound - helper_names]
    for stmt in assumed:
        alias = stmt.split()[-1]
        warnings.append(
            f"assumed `{stmt}`: the snippet uses {alias} but never imports it "
            "(its import was probably in an earlier cell)"
        )

    out: list[_Line] = [(stmt, orig, cell) for stmt, orig, cell, _ in imports]
    out += [(stmt, None, None) for stmt in assumed]
    for helper in helpers:
        out += [("", None, None), *helper]
    if out:
        out.append(("", None, None))
    out += block
    nbsp = sum(line.count("\xa0") for line, _, _ in out)
    if nbsp:
        # Copied from a web page; Python rejects U+00A0 and it is no learner's bug.
        warnings.append(f"replaced {nbsp} non-breaking space(s) with spaces (text copied from a web page)")
    source = "".join(line.replace("\xa0", " ") + "\n" for line, _, _ in out)
    cells = [cell for _, _, cell in out] if t.kind == "notebook" else None
    return Extracted(
        source, t.class_name, t.path, [orig for _, orig, _ in out], warnings, assumed,
        f"<extracted from {t.path}>", cells,
    )


def _not_found(t: Target, names: list[str]) -> str:
    msg = f"no class {t.class_name} in {t.path}; "
    msg += f"it defines {', '.join(dict.fromkeys(names))}" if names else "it defines no class"
    close = [n for n in names if n.lower() == t.class_name.lower()] or difflib.get_close_matches(
        t.class_name, names, n=1)
    return msg + (f" (did you mean {close[0]}?)" if close else "")


def _describe_line(line: _Line) -> str:
    _, orig, cell = line
    return f"cell {cell[0]}" if cell else f"line {orig}"


def _read_text(path: Path, warnings: list[str]) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        warnings.append(f"{path} is not valid UTF-8; undecodable bytes were replaced")
        return data.decode("utf-8", errors="replace")


def _split_lines(text: str) -> list[str]:
    # Not str.splitlines(): it also splits at form feeds and U+2028, which Python
    # source and editors do not count as line breaks, and the numbers would drift.
    lines = re.split(r"\r\n|\r|\n", text)
    return lines[:-1] if lines and lines[-1] == "" else lines


def _text_unit(text: str) -> list[_Line]:
    return [(line, n, None) for n, line in enumerate(_split_lines(text), 1)]


def _notebook_units(path: Path, text: str) -> list[list[_Line]]:
    """One unit per code cell; cells never continue one another's blocks."""
    try:
        nb = json.loads(text)
    except ValueError as e:
        raise UsageError(f"{path} is not a notebook: invalid JSON ({e}); save it again in Jupyter") from None
    cells = nb.get("cells") if isinstance(nb, dict) else None
    if cells is None and isinstance(nb, dict) and nb.get("worksheets"):  # nbformat 3
        cells = [c for ws in nb["worksheets"] for c in ws.get("cells", [])]
    if not isinstance(cells, list):
        raise UsageError(f"{path} is not a notebook: no 'cells' list; export it again from Jupyter")
    units, pos, json_line = [], 0, 1
    for number, cell in enumerate(cells, 1):
        key = "source" if "source" in cell else "input"
        src = cell.get(key, "")
        pieces = src if isinstance(src, list) else [src]
        # Locate each source string in the raw JSON, searching forward from this
        # cell's key so that equal strings in outputs are not taken for it.
        m = re.compile(rf'"{key}"\s*:').search(text, pos)
        if m:
            json_line += text.count("\n", pos, m.end())
            pos = m.end()
        located = []
        for piece in pieces:
            encodings = {json.dumps(piece, ensure_ascii=False), json.dumps(piece)}
            hits = [(text.find(e, pos), e) for e in encodings]
            hits = [h for h in hits if h[0] >= 0]
            if not hits:
                located.append(None)
                continue
            idx, enc = min(hits)
            json_line += text.count("\n", pos, idx)
            pos = idx + len(enc)
            located.append(json_line)
        if cell.get("cell_type") != "code":
            continue
        lines: list[tuple[str, int | None]] = []
        current, current_line, open_ = "", None, False
        for piece, where in zip(pieces, located):
            parts = piece.split("\n")
            for k, part in enumerate(parts):
                last = k == len(parts) - 1
                if last and not part:
                    break  # the piece ended with its newline
                if not open_:
                    current_line, open_ = where, True
                current += part
                if not last:
                    lines.append((current.rstrip("\r"), current_line))
                    current, open_ = "", False
        if open_ and current:
            lines.append((current.rstrip("\r"), current_line))
        units.append([(line, orig, (number, k)) for k, (line, orig) in enumerate(lines, 1)])
    return units


def _width(line: str) -> int:
    # Non-breaking spaces count: web pages indent code with them.
    expanded = line.expandtabs(8)
    return len(expanded) - len(expanded.lstrip(_INDENT))


def _block(unit: list[_Line], start: int) -> list[_Line]:
    """The statement at ``start`` and every line indented deeper, dedented to column 0.

    Blank lines, and comments at the statement's own indentation, belong to the
    block only if deeper lines follow them.  A notebook marker or any other line
    at the statement's indentation ends it: in an export that is prose.  A line
    indented less than the methods but more than the class (a loop dedented out
    of `update`) stays in: it is the learner's bug, and it runs at class level.
    Decorator lines right above the statement come with it.
    """
    first = unit[start][0]
    base = _width(first)
    last = top = start
    while top > 0 and unit[top - 1][0].strip().startswith("@") and _width(unit[top - 1][0]) == base:
        top -= 1
    for i in range(start + 1, len(unit)):
        line = unit[i][0]
        if _MARKER_RE.match(line):
            break
        stripped = line.strip()
        if not stripped:
            continue
        if _width(line) > base:
            last = i
        elif not stripped.startswith("#"):
            break
    n = len(first) - len(first.lstrip(_INDENT))
    return [(_dedent(line, n), orig, cell) for line, orig, cell in unit[top:last + 1]]


def _dedent(line: str, n: int) -> str:
    k = 0
    while k < n and k < len(line) and line[k] in _INDENT:
        k += 1
    return line[k:]


def _used_names(block: list[_Line]) -> set[str]:
    """Names the block reads: from the AST if it parses, else every word outside comments."""
    src = "\n".join(line for line, _, _ in block)
    try:
        tree = ast.parse(src)
    except SyntaxError:
        return {w for line, _, _ in block for w in _WORD_RE.findall(line.split("#", 1)[0])}
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def _helpers(units: list[list[_Line]], class_name: str, block: list[_Line]):
    """Top-level functions and classes (a base class, say) the class uses, transitively.

    Returns their names, and their blocks in file order.
    """
    defs: dict[str, tuple[tuple[int, int], list[_Line]]] = {}
    for u, unit in enumerate(units):
        for i, (line, _, _) in enumerate(unit):
            if (m := _TOPLEVEL_DEF_RE.match(line)) and m.group(1) != class_name:
                defs[m.group(1)] = ((u, i), _block(unit, i))
            elif (m := _TOPLEVEL_ASSIGN_RE.match(line)) and m.group(1) != class_name:
                # a module-level constant (EPS = 1e-7), the last assignment winning as
                # when cells are run top to bottom
                defs[m.group(1)] = ((u, i), _statement(unit, i))
    chosen: dict[str, tuple[tuple[int, int], list[_Line]]] = {}
    todo = list(_used_names(block))
    while todo:
        name = todo.pop()
        if name in defs and name not in chosen:
            chosen[name] = defs[name]
            todo += _used_names(defs[name][1])
    return set(chosen), [b for _, b in sorted(chosen.values(), key=lambda pb: pb[0])]


def _statement(unit: list[_Line], start: int, limit: int = 60) -> list[_Line]:
    """The lines of the statement starting at ``start``: one line, or as many as a bracket
    left open needs (a dict literal whose closing brace is at column 0)."""
    for end in range(start + 1, min(len(unit), start + limit) + 1):
        try:
            ast.parse("\n".join(line for line, _, _ in unit[start:end]))
        except SyntaxError:
            continue
        return unit[start:end]
    return unit[start:start + 1]


def _imports(units: list[list[_Line]]) -> list[tuple[str, int | None, tuple[int, int] | None, set[str]]]:
    """Every column-0 import, one statement per entry, with the names it binds."""
    found, seen = [], set()
    for unit in units:
        for i, (line, orig, cell) in enumerate(unit):
            if not _IMPORT_RE.match(line):
                continue
            stmt, j = line, i
            while (stmt.rstrip().endswith("\\") or stmt.count("(") > stmt.count(")")) and j + 1 < len(unit):
                j += 1
                stmt += "\n" + unit[j][0]
            try:
                tree = ast.parse(stmt)
            except SyntaxError:
                continue  # prose that starts with "from" or "import"
            for node in tree.body:
                if not isinstance(node, (ast.Import, ast.ImportFrom)):
                    continue
                names = {a.asname or a.name.split(".")[0] for a in node.names if a.name != "*"}
                text = ast.unparse(node)
                if names and text not in seen:
                    seen.add(text)
                    found.append((text, orig, cell, names))
    return found
