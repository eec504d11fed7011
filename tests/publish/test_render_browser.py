"""The HTML handbook and a procedure book in a real browser: Debian's chromium, headless, with axe-core.

Needs (installed by .ci/run): the Debian packages `chromium` and `chromium-driver`,
the Python package `selenium` (test extra) and axe-core from the npm registry
(`npm ci --prefix tests/browser`). Selenium is given both binaries, so it never
downloads a browser or a driver. Screenshots go to tests/.artifacts/.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import TESTS
from typer.testing import CliRunner

from kokom_cli.cli.main import app

HERE = TESTS
AXE = HERE / "browser" / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = HERE / ".artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
PROCEDURES_WS = HERE / "data" / "procedures" / "good"
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
