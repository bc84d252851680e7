"""The site in a real headless browser (Debian's chromium, driven by Selenium through Debian's
chromedriver): open the index, follow links to a meeting, an agenda item and a case's timeline —
from the file system and from `referatgraph serve` — and check what is shown. A hostile title is
shown as text and runs nothing.

.ci/run installs chromium and chromium-driver when apt-get is there; without a chromium binary
the tests are skipped with the reason.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from pathlib import Path

import pytest
from release_helpers import HOSTILE, KEYS, free_port, hostile_release, sample_release

CHROMIUM = next((p for p in (shutil.which("chromium"), shutil.which("chromium-browser"), "/usr/bin/chromium") if p and Path(p).is_file()), None)
DRIVER = next((p for p in (shutil.which("chromedriver"), "/usr/bin/chromedriver") if p and Path(p).is_file()), None)

pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="no chromium binary (Debian: apt-get install chromium chromium-driver; .ci/run does it)"),
    pytest.mark.skipif(DRIVER is None, reason="no chromedriver (Debian: apt-get install chromium-driver; .ci/run does it)"),
]


@pytest.fixture(scope="module")
def browser():
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    os.environ.setdefault("SE_OFFLINE", "true")  # never let Selenium Manager download anything
    profile = tempfile.mkdtemp(prefix="referatgraph-chromium-")
    opts = Options()
    opts.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-dev-shm-usage",
                 f"--user-data-dir={profile}", "--window-size=1200,1000"):
        opts.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=DRIVER), options=opts)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def _walk(driver, index_url: str) -> None:
    from selenium.webdriver.common.by import By

    driver.get(index_url)
    assert "referatgraph" in driver.title
    rows = driver.find_elements(By.CSS_SELECTOR, "#meetings tr")
    assert len(rows) == 1 + 3  # header + three meetings, newest first
    assert rows[1].text.startswith("2024-06-25")

    driver.find_element(By.LINK_TEXT, "Beskæftigelses- og Socialudvalget 2023-01-17").click()
    assert driver.find_element(By.TAG_NAME, "h1").text == "Beskæftigelses- og Socialudvalget 2023-01-17"
    items = driver.find_elements(By.CSS_SELECTOR, "#items tr")
    assert len(items) == 1 + 8
    assert "Udmøntning af Budget 2023" in items[3].text and "15.40.00-A00-5-22" in items[3].text

    driver.find_element(By.PARTIAL_LINK_TEXT, "Udmøntning af Budget 2023").click()
    h1 = driver.find_element(By.TAG_NAME, "h1").text
    assert h1.startswith("3. Udmøntning af Budget 2023")
    body = driver.find_element(By.TAG_NAME, "main").text
    assert "Beslutning" in body and "godkendt" in body

    driver.find_element(By.LINK_TEXT, "15.40.00-A00-5-22").click()
    assert driver.find_element(By.TAG_NAME, "h1").text == "15.40.00-A00-5-22"
    timeline = driver.find_elements(By.CSS_SELECTOR, "#timeline tr")
    assert [r.text.split()[0] for r in timeline[1:]] == ["2023-01-17", "2024-06-25"]
    # …and on to the later treatment of the same case.
    timeline[2].find_element(By.PARTIAL_LINK_TEXT, "Første halv").click()
    assert driver.find_element(By.TAG_NAME, "h1").text.startswith("11. ")
    # The embedded data is there for machines too.
    scripts = driver.find_elements(By.CSS_SELECTOR, 'script[type="application/ld+json"]')
    assert len(scripts) == 1


def test_follow_links_from_the_file_system(browser):
    _walk(browser, (sample_release() / "index.html").as_uri())


def test_follow_links_on_referatgraph_serve(browser):
    from referatgraph.serve import App, make_server
    from referatgraph.store import memory_store

    out = sample_release()
    server = make_server(App(out, memory_store(out)), "127.0.0.1", free_port())
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.effective_port}"
        _walk(browser, base + "/")  # redirected to /id/
        # A resource IRI opens as a page in a browser (content negotiation).
        browser.get(f"{base}/id/meeting/{KEYS[1]}")
        from selenium.webdriver.common.by import By

        assert browser.find_element(By.TAG_NAME, "h1").text == "Beskæftigelses- og Socialudvalget 2023-01-17"
    finally:
        server.close()


def test_hostile_title_is_text_and_runs_nothing(browser):
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By

    out = hostile_release()
    browser.get((out / "meeting" / f"{KEYS[1]}.html").as_uri())
    rows = browser.find_elements(By.CSS_SELECTOR, "#items tr")
    assert HOSTILE in rows[7].text
    rows[7].find_element(By.TAG_NAME, "a").click()
    assert HOSTILE in browser.find_element(By.TAG_NAME, "h1").text
    assert browser.find_elements(By.TAG_NAME, "b") == []  # no markup from the title
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018
    assert browser.execute_script("return document.querySelectorAll('script:not([type])').length") == 0
