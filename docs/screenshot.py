"""The picture in the README: the HTML report of a failing Momentum, seen in Chromium.

    PYTHONPATH=. python docs/screenshot.py          # from the repository: writes docs/report.png

It checks ``tests/corpus/mistake_momentum_state_reset.py:Momentum`` (the velocity forgotten
at every call) with seed 1, writes the HTML report, and has headless Chromium (Debian's
``chromium`` package) take a picture of its top at a laptop's width.  `screenshot` is what
tests/test_html.py uses to look at a report at a phone's width.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def screenshot(page: str | os.PathLike, png: str | os.PathLike, width: int = 1100,
               height: int = 1300) -> Path:
    """Render the HTML file ``page`` to ``png`` with headless Chromium, no network, a new
    empty profile."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        raise SystemExit("docs/screenshot.py: needs chromium (apt-get install -y chromium)")
    png = Path(png).resolve()
    with tempfile.TemporaryDirectory(prefix="checker-chromium-") as profile:
        subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
             "--no-first-run", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--hide-scrollbars", f"--user-data-dir={profile}",
             f"--screenshot={png}", f"--window-size={width},{height}",
             Path(page).resolve().as_uri()],
            check=True, capture_output=True, timeout=120)
    return png


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from checker import check
    report = check("tests/corpus/mistake_momentum_state_reset.py:Momentum", seed=1,
                   profile="quick", plots=True, root=ROOT)
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "report.html"
        page.write_text(report.to_html(), encoding="utf-8")
        out = screenshot(page, ROOT / "docs" / "report.png", width=1100, height=1180)
    try:  # a palette of 256 colours: a third of the bytes, the same to the eye
        from PIL import Image
        Image.open(out).convert("RGB").quantize(256).save(out, optimize=True)
    except ImportError:
        pass
    print(out)


if __name__ == "__main__":
    main()
