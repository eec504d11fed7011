"""The HTML handbook, procedure books, the self-assessment report and the national overview in a real browser:
Debian's chromium, headless, with axe-core, at a phone's width (390 px) and a desktop's (1280 px).

Needs (installed by .ci/run): the Debian packages `chromium` and `chromium-driver`,
the Python package `selenium` (test extra) and axe-core from the npm registry
(`npm ci --prefix tests/browser`). Selenium is given both binaries, so it never
downloads a browser or a driver. Screenshots go to tests/.artifacts/.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import EXAMPLES, TESTS
from typer.testing import CliRunner

from kokom_cli.cli.main import app

HERE = TESTS
AXE = HERE / "browser" / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = HERE / ".artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
PROCEDURES_WS = HERE / "data" / "procedures" / "good"

WIDTHS = (390, 1280)  # a phone (iPhone 12-15) and a desktop window, CSS pixels
# where the second screenshot of each page is taken (the grid, the tables, the heatmap, a dispatch card)
DETAIL = {"handbook": "AMK-SVAR-01", "report": "mangler", "overview": "matrise", "procedures": "KORT-91"}
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1280,1600",
]


def _require(path: Path, how: str) -> None:
    if not path.exists():
        pytest.fail(f"{path} is missing: {how}", pytrace=False)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    _require(CHROMIUM, "apt-get install chromium chromium-driver")
    _require(CHROMEDRIVER, "apt-get install chromium-driver")
    _require(AXE, "npm ci --prefix tests/browser")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    driver.set_script_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, Path]:
    """The built-in handbook (with its traceability appendix), the built-in AMK procedure book,
    and a local procedure book over a national one with English labels, as HTML files."""
    base = tmp_path_factory.mktemp("browser")
    runner = CliRunner()
    commands = {
        "handbook": ["render", "handbook"],
        "procedures": ["render", "procedures", "amk"],
        "local-book-en": ["render", "procedures", "fjordby", "--root", str(PROCEDURES_WS), "--lang", "en"],
    }
    out = {}
    for name, args in commands.items():
        out[name] = base / f"{name}.html"
        result = runner.invoke(app, [*args, "-o", str(out[name])])
        assert result.exit_code == 0, result.stderr
    # the self-assessment report and the national overview of the example services
    report = EXAMPLES / "lvs-storby" / "assessments" / "lvs-storby-2026.yaml"
    others = {
        "report": ["assess", "report", str(report), "--as-of", "2026-12-01", "--format", "html"],
        "overview": ["overview", str(EXAMPLES), "--as-of", "2026-12-01", "--format", "html"],
    }
    for name, args in others.items():
        out[name] = base / f"{name}.html"
        result = runner.invoke(app, [*args, "-o", str(out[name])])
        assert out[name].is_file(), result.output
    return out


def run_axe(driver) -> list[dict]:
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations), e => done([{id: 'axe-error',"
        " impact: 'critical', help: String(e), nodes: []}]));"
    )
    return result


@pytest.mark.parametrize("name", ["handbook", "procedures", "local-book-en"])
def test_no_serious_or_critical_accessibility_violations(browser, pages, name):
    browser.get(pages[name].as_uri())
    assert browser.execute_script("return document.documentElement.lang") in ("nb", "en")
    violations = run_axe(browser)
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
        for v in violations
        if v.get("impact") in ("serious", "critical")
    ]
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / f"{name}.png"
    browser.save_screenshot(str(shot))
    assert shot.stat().st_size > 10_000
    assert serious == [], "\n".join(serious)


def test_skip_link_is_the_first_tab_stop_and_anchors_resolve(browser, pages):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.get(pages["handbook"].as_uri() + "#AMK-SVAR-01")
    target = browser.find_element(By.ID, "AMK-SVAR-01")
    assert browser.execute_script(
        "const r = arguments[0].getBoundingClientRect(); return r.top > -2 && r.top < window.innerHeight;", target
    )
    browser.get(pages["handbook"].as_uri())
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    focused = browser.switch_to.active_element
    assert focused.get_attribute("class") == "skip-link" and focused.get_attribute("href").endswith("#main")
    assert focused.is_displayed()
    ARTIFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / "handbook-skip-link.png"))


def _viewport(driver, width: int, height: int = 900) -> None:
    """A device viewport of `width` CSS pixels (mobile: the page's meta viewport applies)."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
    )


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", ["handbook", "report", "overview", "procedures"])
def test_pages_fit_phone_and_desktop_widths(browser, pages, name, width):
    """No horizontal scrolling of the page itself at 390 and 1280 px (wide tables scroll in their own
    box), no text clipped by its box, readable heatmap text, and no serious axe-core findings."""
    _viewport(browser, width)
    try:
        browser.get(pages[name].as_uri())
        sizes = browser.execute_script(
            "return [document.documentElement.scrollWidth, window.innerWidth, document.body.scrollWidth];"
        )
        # (a phone widens its layout viewport to a page that is too wide, so compare with the device width)
        assert sizes[1] == width and max(sizes) <= width, f"page wider than the {width} px window: {sizes}"
        # boxes whose content is wider than they are (a long title running out of its box, a grid cell
        # cut off); only scroll boxes may be, and their content scrolls
        clipped = browser.execute_script(
            "return [...document.querySelectorAll('main *, header *')].filter(e => {"
            " const s = getComputedStyle(e); if (s.display === 'none' || s.display === 'inline') return false;"
            " if (e.closest('svg') || e.closest('.visually-hidden') || e.closest('.table-scroll')) return false;"
            " return e.scrollWidth > e.clientWidth + 1; })"
            ".map(e => e.tagName + '.' + e.className).slice(0, 5);"
        )
        assert clipped == [], f"content wider than its box: {clipped}"
        # boxes that stick out of the window on the right (text running out of its grid cell, say)
        outside = browser.execute_script(
            "const w = window.innerWidth; return [...document.querySelectorAll('main *, header *')].filter(e => {"
            " if (e.closest('svg') || e.closest('.table-scroll') || e.closest('.visually-hidden')) return false;"
            " const r = e.getBoundingClientRect(); return r.width > 0 && r.right > w + 1; })"
            ".map(e => e.tagName + '.' + e.className).slice(0, 5);"
        )
        assert outside == [], f"sticks out of the window: {outside}"
        # every wide table scrolls inside a focusable, labelled box
        for box in browser.execute_script(
            "return [...document.querySelectorAll('.table-scroll')].filter(e => e.scrollWidth > e.clientWidth)"
            ".map(e => [e.getAttribute('tabindex'), e.getAttribute('role'), e.getAttribute('aria-label')"
            " || e.getAttribute('aria-labelledby')]);"
        ):
            assert box[0] == "0" and box[1] == "region" and box[2], box
        if name == "overview":
            # the heatmap's smallest visible text, as drawn on the screen
            smallest = browser.execute_script(
                "let m = Infinity; for (const t of document.querySelectorAll('.heatmap text, .heatmap-list *')) {"
                " if (!t.getClientRects().length || !t.textContent.trim()) continue;"
                " const size = parseFloat(getComputedStyle(t).fontSize);"
                " m = Math.min(m, t.closest('svg') ? size * t.closest('svg').getScreenCTM().a : size); } return m;"
            )
            assert smallest >= 10, f"heatmap text {smallest:.1f} px high at {width} px"
        violations = run_axe(browser)
        serious = [
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
            for v in violations
            if v.get("impact") in ("serious", "critical")
        ]
        ARTIFACTS.mkdir(exist_ok=True)
        browser.save_screenshot(str(ARTIFACTS / f"{name}-{width}.png"))
        # and one further down, where the grid, the tables or the heatmap are
        browser.execute_script("document.getElementById(arguments[0]).scrollIntoView();", DETAIL[name])
        browser.save_screenshot(str(ARTIFACTS / f"{name}-{width}-{DETAIL[name]}.png"))
        assert serious == [], "\n".join(serious)
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
