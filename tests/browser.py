"""A real browser for the tests: Debian's headless Chromium driven by Playwright, started once per
session. Each page opened through `open_page` records its console errors and every request it
makes, and leaves a full-page screenshot in $VIEWCAST_ARTIFACTS (default tests/artifacts/).

Without Chromium (or Playwright) the browser tests are skipped with the reason — unless
VIEWCAST_REQUIRE_BROWSER=1 (CI sets it), where a missing browser is a failure, never a silent skip.
"""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("VIEWCAST_CHROMIUM", "/usr/bin/chromium")
# Playwright cannot download its own browser here; Debian's one must not phone home either.
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(os.environ.get("VIEWCAST_ARTIFACTS") or Path(__file__).parent / "artifacts")


def missing() -> str | None:
    """Why no browser can be started, or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -e '.[dev]')"
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        return f"{CHROMIUM} not found (apt-get install chromium)"
    return None


@pytest.fixture(scope="session")
def browser():
    reason = missing()
    if reason:
        if os.environ.get("VIEWCAST_REQUIRE_BROWSER") == "1":
            pytest.fail(f"VIEWCAST_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def open_page(browser, request):
    """open_page(url) → a loaded Page with .errors (console errors, uncaught exceptions) and .requests
    (every URL it asked for). Waits for the page's body[data-ready]."""
    opened = []

    def _open(url: str, width: int = 1400, height: int = 900):
        ctx = browser.new_context(viewport={"width": width, "height": height})
        page = ctx.new_page()
        page.errors, page.requests = [], []
        page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        page.on("request", lambda r: page.requests.append(r.url))
        opened.append((ctx, page))
        page.goto(url)
        page.wait_for_selector("body[data-ready='1']", timeout=15000)
        return page

    yield _open
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", request.node.name)
    for i, (ctx, page) in enumerate(opened):
        try:
            page.screenshot(path=str(ARTIFACTS / f"{name}-{i}.png"), full_page=True)
        finally:
            ctx.close()
