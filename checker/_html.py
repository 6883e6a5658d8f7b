"""The report as one self-contained HTML page: the terminal report's words, and plots.

Nothing is fetched: the style is inline, the plots are inline SVG drawn with
matplotlib's SVG backend (no display, no pyplot state, text drawn as paths, so no
font is needed either), and the one script (a copy button) is inline.  The text is
the terminal report's, piece by piece and in its order (`checker._report`), under a
banner with the verdict and the plots.  matplotlib is needed only to draw plots
(the ``[report]`` extra); a report without plot data renders without it.
"""

from __future__ import annotations

import html
import io
import math
import re

from ._findings import Report
from ._report import _MARK, header, hyperparameter_rows, trace_lines

INSTALL = "pip install 'optimizer-conformance[report]' (or: pip install matplotlib)"

_CSS = """
.ck{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;
  max-width:980px;margin:0 auto;padding:12px}
.ck *{box-sizing:border-box}
.ck .banner{border-radius:8px;padding:12px 16px;color:#fff;margin-bottom:12px}
.ck .banner.pass{background:#1a7f37}.ck .banner.fail{background:#cf222e}
.ck .banner .v{font-size:1.6em;font-weight:700;letter-spacing:.04em}
.ck .banner .t{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;
  word-break:break-all}
.ck .banner ul{margin:6px 0 0;padding-left:1.2em}
.ck h2{font-size:1.1em;margin:18px 0 6px;border-bottom:1px solid #d0d7de;padding-bottom:3px}
.ck .plots{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,420px),1fr));gap:4px 18px}
.ck figure{margin:8px 0 14px}
.ck figure svg{width:100%;max-width:760px;height:auto;display:block}
.ck figcaption{font-size:.9em;color:#57606a}
.ck .head{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em;
  word-break:break-all}
.ck table{border-collapse:collapse;font-size:.92em}
.ck td{padding:3px 8px 3px 0;vertical-align:top;border-bottom:1px solid #eaeef2}
.ck td:first-child{font-family:ui-monospace,Menlo,Consolas,monospace;white-space:nowrap}
.ck ol{list-style:none;padding:0;margin:0}
.ck li.f{border-left:4px solid #d0d7de;padding:4px 0 4px 10px;margin:6px 0}
.ck li.fail{border-color:#cf222e;background:#fff5f5}
.ck li.warn{border-color:#bf8700;background:#fffbea}
.ck li.pass{border-color:#1a7f37}
.ck .mark{font-weight:700;font-size:.85em;padding:1px 6px;border-radius:4px;color:#fff;
  margin-right:6px}
.ck .mark.pass{background:#1a7f37}.ck .mark.fail{background:#cf222e}
.ck .mark.warn{background:#9a6700}
.ck .kind{color:#57606a;font-size:.9em}
.ck .msg{white-space:pre-wrap;overflow-wrap:anywhere;margin:4px 0 0}
.ck pre{font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;margin:0}
.ck .code{position:relative;background:#f6f8fa;border:1px solid #d0d7de;border-radius:6px;
  margin:6px 10px 4px 0}
.ck .code pre{overflow-x:auto;padding:8px 10px}
.ck .code button{position:absolute;top:4px;right:4px;font-size:12px;padding:2px 8px;
  border:1px solid #d0d7de;border-radius:4px;background:#fff;cursor:pointer}
.ck .note{color:#57606a;font-size:.92em;overflow-wrap:anywhere}
.ck .out pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f6f8fa;padding:6px}
.ck .end{margin-top:16px;font-weight:700}
@media (max-width:600px){.ck{font-size:14px;padding:6px}.ck .banner .v{font-size:1.3em}}
"""

_COPY = ("<script>function ckCopy(b){var t=b.parentNode.querySelector('code').innerText;"
         "(navigator.clipboard?navigator.clipboard.writeText(t):Promise.reject()).then("
         "function(){b.textContent='copied'},function(){b.textContent='select and copy'})}"
         "</script>")


def have_matplotlib() -> bool:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def to_html(report: Report, fragment: bool = False) -> str:
    """The page (``fragment``: the part that goes inside a notebook's output)."""
    body = _body(report)
    if fragment:  # a notebook's output: the style scoped to .ck, the copy script inline
        return f"<style>{_CSS}</style>{body}{_COPY}"
    title = f"{report.verdict.upper()}: {report.target}"
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{_e(title)}</title><style>body{{margin:0}}{_CSS}</style></head>"
            f"<body>{body}{_COPY}</body></html>\n")


def _body(report: Report) -> str:
    out = ['<div class="ck">', _banner(report)]
    out += _plots(report)
    out.append("<h2>Report</h2>")
    out.append(f'<p class="head">{_e(header(report))}</p>')
    if report.sandbox:
        out.append(f'<p class="note">sandbox: {_e(report.sandbox)}</p>')
    if report.variant:
        out.append(f"<p>variant: <b>{_e(report.variant)}</b></p>")
    if report.hyperparameters:
        out.append("<p>hyperparameters in effect:</p><table>")
        for k, value, how in hyperparameter_rows(report):
            out.append(f"<tr><td>{_e(k)} = {_e(value)}</td><td>{_e(how)}</td></tr>")
        out.append("</table>")
    for w in report.warnings:
        out.append(f'<p class="note">note: {_e(w)}</p>')
    out.append("<ol>")
    for f in report.findings:
        out.append(_finding(f))
    out.append("</ol>")
    if report.trace:
        out.append("<h2>The formula your code computes</h2>")
        out.append(f"<pre>{_e(chr(10).join(line.strip() for line in trace_lines(report.trace)))}</pre>")
    if report.output:
        o = report.output
        out.append(f'<div class="out"><p class="note">output of the target: {o["stdout_bytes"]} '
                   f'bytes on stdout, {o["stderr_bytes"]} on stderr (trimmed, never read as a '
                   f'result)</p>')
        text = (o["stdout"] + o["stderr"]).strip()
        if text:
            out.append(f"<pre>{_e(text)}</pre>")
        out.append("</div>")
    out.append(f'<p class="end">verdict: {report.verdict.upper()}  ({report.elapsed:.1f} s; '
               f'rerun with --seed {report.seed})</p>')
    if report.rerun:
        out.append('<p class="note">rerun exactly:</p>' + _code(report.rerun))
    out.append("</div>")
    return "\n".join(out)


def _banner(report: Report) -> str:
    v = report.verdict
    failed = list(dict.fromkeys(f"{f.property} [{f.kind}]" for f in report.findings
                                if f.status == "fail"))
    what = report.variant or (f"closest to {report.mistake['variant']}: {report.mistake['name']}"
                              if report.mistake else f"no recognised variant of {report.rule}")
    items = "".join(f"<li>{_e(x)}</li>" for x in failed)
    return (f'<div class="banner {v}"><div class="v">{v.upper()}</div>'
            f'<div class="t">{_e(report.target)}</div><div>{_e(what)}</div>'
            + (f"<ul>{items}</ul>" if items else "") + "</div>")


def _finding(f) -> str:
    first, *rest = f.message.splitlines() or [""]
    text = "\n".join([first, *rest])
    out = [f'<li class="f {f.status}"><span class="mark {f.status}">{_MARK[f.status]}</span>'
           f'<b>{_e(f.property)}</b> <span class="kind">[{_e(f.kind)}]</span>'
           f'<div class="msg">{_e(text)}</div>']
    if f.status == "fail" and f.repro:
        out.append('<div class="note">reproduce:</div>' + _code(f.repro))
    out.append("</li>")
    return "".join(out)


def _code(text: str) -> str:
    return ('<div class="code"><button type="button" onclick="ckCopy(this)">copy</button>'
            f"<pre><code>{_e(text)}</code></pre></div>")


# -- the plots ---------------------------------------------------------------------------

def _plots(report: Report) -> list[str]:
    plots = report.plots
    if not plots:
        return []
    out = ['<div class="plots">']
    if plots.get("path"):
        out.append("<div><h2>The path on the book's function</h2>"
                   + _figure(_path_svg(plots["path"]), _path_caption(plots["path"])) + "</div>")
    if plots.get("error"):
        e = plots["error"]
        out.append("<div><h2>The error of each update</h2>"
                   + _figure(_error_svg(e), _error_caption(e)) + "</div>")
    if plots.get("state"):
        st = plots["state"]
        out.append("<div><h2>The state, step by step</h2>"
                   + _figure(_state_svg(st), _state_caption(st)) + "</div>")
    out.append("</div>")
    if plots.get("why"):
        out.append(f'<p class="note">{_e(plots["why"])}</p>')
    return out


def _figure(svg: str, caption: str) -> str:
    return f"<figure>{svg}<figcaption>{_e(caption)}</figcaption></figure>"


def _path_caption(p: dict) -> str:
    text = (f"{p['function']} from ({p['start'][0]:g}, {p['start'][1]:g}), {p['steps']} steps, "
            f"lr = {p['lr']:g} ({p['lr_source']}), {p['inputs']}; the oracle is {p['variant']} "
            f"fed the gradient at its own point, the target the gradient at its own.")
    if p.get("parts_at"):
        text += f" From step {p['parts_at']} the target's update is outside the bound."
    elif not p.get("stopped"):
        text += (" Every update of the first instance is within the bound: its path is the "
                 "oracle's." if p.get("second") else
                 " Every update of the target is within the bound: the paths coincide.")
    if p.get("stopped"):
        text += f" The target stopped: {p['stopped']}."
    out = _leaves_picture(p["target"])
    if out is not None and None not in p["target"][out]:  # not finite: said as stopped
        x, y = p["target"][out]
        text += f" The target leaves the picture at step {out}, at ({x:.3g}, {y:.3g})."
    if p.get("second"):
        text += (" A second instance, built after the first had run, "
                 + ("walks another path: state leaks between instances." if p["second"] != p["target"]
                    else "walks the same path."))
    return text


def _state_caption(st: dict) -> str:
    return (f"self.{st['attribute']}[{st['key']!r}] after each update of {st['run']} on f, "
            f"beside the oracle's state {st['state']} fed the same gradients; they part at "
            f"step {st['parts_at']}.")


def _state_svg(st: dict) -> str:
    fig = _new_figure(5.6, 3.6)
    ax = fig.add_subplot()
    ax.plot(st["steps"], st["oracle"], "-o", color=_ORACLE, markersize=5, linewidth=4, alpha=0.55,
            label=f"oracle: {st['state']}[{st['key']!r}]")
    ax.plot(st["steps"], st["target"], "--o", color=_TARGET, markersize=3.5, linewidth=1.6,
            label=f"the target: self.{st['attribute']}[{st['key']!r}]")
    k = st["parts_at"]
    ax.axvline(k, color="#000", linewidth=1, linestyle="--")
    ax.annotate(f"step {k}", (k, st["target"][k - 1]), xytext=(6, 10), textcoords="offset points",
                fontsize=11, fontweight="bold")
    ax.set_xlim(0.5, st["steps"][-1] + 0.5)
    from matplotlib.ticker import MaxNLocator
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("step", fontsize=11)
    ax.set_ylabel(f"{st['state']}[{st['key']!r}]", fontsize=11)
    ax.tick_params(labelsize=10)
    fig.legend(loc="outside lower center", fontsize=10, ncols=1, frameon=False)
    return _svg(fig)


def _leaves_picture(points) -> int | None:
    """The first step the path is off the picture (x in [-10, 10], y in [-5, 5]), if it is."""
    return next((k for k, (x, y) in enumerate(points)
                 if x is None or y is None or not (abs(x) <= 10 and abs(y) <= 5)), None)


def _error_caption(e: dict) -> str:
    where = f"params[{e['key']!r}]" + (f"{e['index']}" if e["index"] else "")
    return (f"|update - exact update| of {where} per step on {e['run']}, against the largest "
            f"error a correct {e['dtype']} implementation may make (the band); first outside "
            f"at step {e['crosses_at']}.")


def _svg(fig) -> str:
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    import matplotlib
    buf = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "path"}):
        FigureCanvasSVG(fig).print_svg(buf)
    text = buf.getvalue()
    text = text[text.index("<svg"):]
    # inline in HTML the parser knows SVG: no namespace URLs, no RDF metadata naming sites,
    # so the page holds no address at all; and it scales with the page (the viewBox kept)
    text = re.sub(r"<metadata>.*?</metadata>\s*", "", text, flags=re.S)
    text = re.sub(r'\s+xmlns(:xlink)?="[^"]*"', "", text)
    return re.sub(r'<svg([^>]*?) width="[^"]*" height="[^"]*"', r'<svg\1', text, count=1)


def _new_figure(w: float, h: float):
    from matplotlib.figure import Figure
    fig = Figure(figsize=(w, h), dpi=100, layout="constrained")
    return fig


_TARGET, _ORACLE, _SECOND = "#d1242f", "#0969da", "#8250df"


def _path_svg(p: dict) -> str:
    import numpy as np
    fig = _new_figure(5.6, 4.3)
    ax = fig.add_subplot()
    x = np.linspace(-10, 10, 241)
    y = np.linspace(-5, 5, 121)
    X, Y = np.meshgrid(x, y)
    Z = X ** 2 / 20 + Y ** 2
    ax.contour(X, Y, Z, levels=[0.25, 1, 2.5, 5, 8, 12, 17, 23], colors="#b6bec8",
               linewidths=0.8)
    ax.plot([0], [0], marker="+", color="#57606a", markersize=10)
    ora = np.array(p["oracle"], dtype=float)
    tgt = np.array(p["target"], dtype=float)
    ax.plot(ora[:, 0], ora[:, 1], "-o", color=_ORACLE, markersize=5, linewidth=4, alpha=0.55,
            label=f"oracle ({p['variant']})", zorder=3)
    ax.plot(tgt[:, 0], tgt[:, 1], "--o", color=_TARGET, markersize=3, linewidth=1.6,
            label="the target", zorder=4)
    if p.get("second"):
        sec = np.array(p["second"], dtype=float)
        ax.plot(sec[:, 0], sec[:, 1], ":s", color=_SECOND, markersize=3, linewidth=1.4,
                label="the target, a second instance", zorder=4)
    ax.plot([p["start"][0]], [p["start"][1]], "ko", markersize=6, zorder=5)
    ax.annotate("start", p["start"], xytext=(6, 6), textcoords="offset points", fontsize=10)
    k = p.get("parts_at")
    if k and k < len(tgt) and np.all(np.isfinite(tgt[k])):
        at = np.clip(tgt[k], [-9.6, -4.7], [9.6, 4.7])  # a point off the picture: at its edge
        ax.plot([at[0]], [at[1]], "o", markersize=14, markerfacecolor="none",
                markeredgecolor="#000", markeredgewidth=1.8, zorder=6)
        # the label away from the paths, in the empty lower left, an arrow to the point
        ax.annotate(f"step {k}: leaves the oracle", at, xytext=(0.03, 0.06),
                    textcoords="axes fraction", fontsize=11, fontweight="bold",
                    bbox={"boxstyle": "round,pad=0.25", "fc": "#fff", "ec": "#000", "lw": 0.8},
                    arrowprops={"arrowstyle": "->", "color": "#000", "lw": 1.2}, zorder=7)
    out = _leaves_picture(p["target"])
    if out is not None:
        ax.text(0.5, 0.97, f"the target leaves the picture at step {out}", transform=ax.transAxes,
                ha="center", va="top", fontsize=11, fontweight="bold", color=_TARGET,
                bbox={"boxstyle": "round,pad=0.2", "fc": "#fff", "ec": _TARGET, "lw": 0.8})
    ax.set_xlim(-10, 10)
    ax.set_ylim(-5, 5)
    ax.set_xlabel("x", fontsize=11)
    ax.set_ylabel("y", fontsize=11)
    ax.tick_params(labelsize=10)
    fig.legend(loc="outside lower center", fontsize=10, ncols=2, frameon=False)
    return _svg(fig)


def _error_svg(e: dict) -> str:
    import numpy as np
    fig = _new_figure(5.6, 3.6)
    ax = fig.add_subplot()
    steps = np.array(e["steps"], dtype=float)
    allowed = np.array([math.inf if v is None else v for v in e["allowed"]], dtype=float)
    err = np.array([math.nan if v is None else v for v in e["error"]], dtype=float)
    positive = np.concatenate([allowed[allowed > 0], err[np.isfinite(err) & (err > 0)]])
    floor = positive.min() / 100 if positive.size else 1e-300
    top = positive.max() * 100 if positive.size else 1.0
    shown = np.where(np.isfinite(err), np.maximum(err, floor), top)
    ax.fill_between(steps, floor, np.maximum(allowed, floor), color="#1a7f37", alpha=0.25,
                    step=None, label="allowed: within the floating-point bound")
    ax.plot(steps, np.maximum(allowed, floor), color="#1a7f37", linewidth=1)
    ax.plot(steps, shown, "-o", color=_TARGET, markersize=3.5, linewidth=1.8,
            label="the target's error")
    k = e.get("crosses_at")
    if k:
        ax.axvline(k, color="#000", linewidth=1, linestyle="--")
        ax.annotate(f"step {k}", (k, shown[k - 1]), xytext=(6, -18), textcoords="offset points",
                    fontsize=11, fontweight="bold")
    ax.set_yscale("log")
    ax.set_ylim(floor, top)
    from matplotlib.ticker import MaxNLocator
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlim(0.5, max(steps[-1], 1) + 0.5)
    ax.set_xlabel("step", fontsize=11)
    ax.set_ylabel("|error| of the update", fontsize=11)
    ax.tick_params(labelsize=10)
    fig.legend(loc="outside lower center", fontsize=10, ncols=1, frameon=False)
    return _svg(fig)


def write_html(report: Report, path: str) -> None:
    """Atomically, as `checker._report.write_json` writes the JSON."""
    import os
    import tempfile
    text = to_html(report)
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".report-", suffix=".html", dir=folder)
    try:
        os.fchmod(fd, 0o644)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
