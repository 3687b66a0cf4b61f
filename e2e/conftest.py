"""End-to-end checks: the real `liaison serve` on a temporary database, driven by headless Chromium.

Run from the repository root after `swift build`:  python3 -m pytest e2e
LIAISON_BIN names the binary (default .build/debug/liaison)."""
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(url, log_path, tries=300):
    """Waits until the server at `url` answers /healthz; fails the test with its log when it does not."""
    for _ in range(tries):
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    pytest.fail("the server did not start: " + open(log_path).read()[-4000:])


@pytest.fixture(scope="session")
def base_url(server):
    return server["url"]


@pytest.fixture(scope="session")
def server():
    """The running server: its address, its data directory (mail arrives as .eml files under mail/) and its binary."""
    binary = os.environ.get("LIAISON_BIN", os.path.join(ROOT, ".build", "debug", "liaison"))
    if not os.path.exists(binary):
        pytest.fail(f"{binary} does not exist: run `swift build` first (or set LIAISON_BIN)")
    data = tempfile.mkdtemp(prefix="liaison-e2e-")
    port = free_port()
    log = open(os.path.join(data, "server.log"), "w")
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([binary, "serve", "--port", str(port), "--data-dir", data, "--public-url", url,
                               "--contact-email", "secretariat@example.org", "--list-messages-per-minute", "600"],
                              stdout=log, stderr=log)
    try:
        wait_ready(url, os.path.join(data, "server.log"))
        yield {"url": url, "data": data, "binary": binary}
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()
        shutil.rmtree(data, ignore_errors=True)


@pytest.fixture(scope="session")
def browser():
    options = Options()
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium:
        options.binary_location = chromium
    driver_path = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    yield driver
    driver.quit()


def texts_outside_pictures(browser):
    """The texts of the page's pictures (server-drawn SVG) that the browser lays out past their picture's edges, where
    they would be cut: each as "picture: text"."""
    return browser.execute_script("""
        // Folded parts opened first: a picture that is not laid out has no boxes to measure.
        document.querySelectorAll('details').forEach(details => details.open = true);
        return [...document.querySelectorAll("svg[role='img']")].flatMap(svg => {
            const box = svg.viewBox.baseVal;
            if (!box || box.width === 0) return [];
            return [...svg.querySelectorAll('text')].filter(text => {
                const b = text.getBBox();
                return b.width > 0 && (b.x < box.x - 0.5 || b.x + b.width > box.x + box.width + 0.5);
            }).map(text => (svg.getAttribute('aria-labelledby') || svg.id) + ': ' + text.textContent);
        });""")
