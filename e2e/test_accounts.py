"""Accounts as a new user meets them: an administrator created from the command line signs in, must set up a
second factor, invites a focal point; the focal point follows the mailed link, chooses a password, lands on
the network's page and sees only what the role allows. Every page on the way passes axe."""
import base64
import glob
import hashlib
import hmac
import os
import re
import struct
import subprocess
import tempfile
import time
import urllib.parse

from axe_selenium_python import Axe
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

PASSWORD = "a long passphrase for the e2e run"


def totp(secret_base32, at=None):
    """RFC 6238 with SHA-1, six digits, 30-second steps: what an authenticator app computes."""
    key = base64.b32decode(secret_base32 + "=" * (-len(secret_base32) % 8))
    step = int((at or time.time()) // 30)
    digest = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 15
    return "%06d" % ((struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1000000)


def decoded_qr(element):
    """What zbar's reader (Debian's zbar-tools) reads in a screenshot of the element, as a phone's camera would."""
    with tempfile.NamedTemporaryFile(suffix=".png") as image:
        image.write(element.screenshot_as_png)
        image.flush()
        read = subprocess.run(["zbarimg", "--raw", "-q", "-Sbinary", image.name], capture_output=True, timeout=30)
    assert read.returncode == 0, f"zbarimg found no QR code ({read.returncode}): {read.stderr!r}"
    return read.stdout.decode("utf-8").rstrip("\n")


def accessible(browser):
    axe = Axe(browser)
    axe.inject()
    serious = [v for v in axe.run()["violations"] if v.get("impact") in ("serious", "critical")]
    assert serious == [], axe.report(serious)
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []


def fill(browser, fields):
    for name, value in fields.items():
        element = browser.find_element(By.NAME, name)
        if element.tag_name == "select":
            Select(element).select_by_value(value)
        else:
            element.clear()
            element.send_keys(value)


def submit(browser, form_action):
    browser.find_element(By.CSS_SELECTOR, f"form[action='{form_action}'] button[type=submit]").click()


def wait_for(browser, predicate, what):
    WebDriverWait(browser, 15).until(lambda driver: predicate(driver), message=what)


def mailed_link(data, recipient, timeout=30):
    """The site's link in the first message to `recipient` that the running server delivered as an .eml file."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        for path in sorted(glob.glob(os.path.join(data, "mail", "*.eml"))):
            text = open(path, encoding="utf-8").read()
            if f"To: {recipient}" in text:
                match = re.search(r"(http://127\.0\.0\.1:\d+/invitations/[A-Za-z0-9_-]{43})", text)
                assert match, text
                return match.group(1), text
        time.sleep(0.5)
    raise AssertionError(f"no mail to {recipient} within {timeout} s")


def test_administrator_invites_a_focal_point_who_signs_in_through_the_mailed_link(browser, server):
    url, data = server["url"], server["data"]
    created = subprocess.run([server["binary"], "user", "create", "--data-dir", data, "--email", "admin@example.org",
                              "--name", "Ada Admin", "--role", "administrator", "--password-stdin"],
                             input=PASSWORD + "\n", capture_output=True, text=True, timeout=60)
    assert created.returncode == 0, created.stderr
    assert "created account" in created.stderr

    # The administrator signs in and must set up a second factor first.
    browser.delete_all_cookies()
    browser.get(url + "/sign-in?lang=en")
    accessible(browser)
    fill(browser, {"email": "admin@example.org", "password": PASSWORD})
    submit(browser, "/sign-in")
    wait_for(browser, lambda d: d.current_url.endswith("/account/two-factor"), "the second factor's set-up")
    accessible(browser)
    otpauth = browser.find_element(By.CSS_SELECTOR, "a[href^='otpauth://']").get_attribute("href")
    secret = urllib.parse.parse_qs(urllib.parse.urlparse(otpauth).query)["secret"][0]
    key_shown = browser.find_element(By.CSS_SELECTOR, "code.key").text.replace(" ", "")
    assert key_shown == secret
    # The QR code the page draws is what a phone's camera reads: the same otpauth:// address.
    assert decoded_qr(browser.find_element(By.CSS_SELECTOR, "figure.qr svg")) == otpauth
    browser.get(url + "/invitations")
    assert browser.current_url.endswith("/account/two-factor"), "nothing else before the second factor"
    fill(browser, {"code": totp(secret)})
    submit(browser, "/account/two-factor")
    wait_for(browser, lambda d: "recovery" in d.page_source.lower(), "the recovery codes")
    codes = [li.text for li in browser.find_elements(By.CSS_SELECTOR, "ul.codes li")]
    assert len(codes) == 10
    accessible(browser)
    # The codes to download as a file, and to print: on paper, only the codes (no menus, no links).
    download = browser.find_element(By.CSS_SELECTOR, "a[download='liaison-recovery-codes.txt']").get_attribute("href")
    text = urllib.parse.unquote(download.split(",", 1)[1])
    assert text.startswith("Liaison recovery codes for admin@example.org") and all(code in text for code in codes)
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert not browser.find_element(By.CSS_SELECTOR, "header.site nav").is_displayed()
        assert not browser.find_element(By.CSS_SELECTOR, "a[download]").is_displayed()
        assert all(li.is_displayed() for li in browser.find_elements(By.CSS_SELECTOR, "ul.codes li"))
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})

    # The administrator invites a focal point of CARIN, whose mail is in French.
    browser.find_element(By.LINK_TEXT, "Invite people").click()
    wait_for(browser, lambda d: d.current_url.endswith("/invitations"), "the invitation form")
    accessible(browser)
    fill(browser, {"email": "focal@example.org", "role": "focal_point", "language": "fr"})
    browser.find_element(By.XPATH, "//label[starts-with(., 'Camden Assets Recovery Interagency Network')]").click()
    assert browser.find_element(By.ID, "network-carin").is_selected(), "the network is ticked by its name"
    submit(browser, "/invitations")
    wait_for(browser, lambda d: "on its way" in d.page_source, "the invitation sent")
    browser.get(url + "/admin/accounts")
    accessible(browser)
    browser.get(url + "/admin")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Dashboard"
    assert "Pending proposals" in browser.page_source
    accessible(browser)
    browser.get(url + "/admin/proposals")
    accessible(browser)
    browser.get(url + "/admin/audit")
    assert "invitation sent" in browser.page_source
    accessible(browser)
    browser.find_element(By.CSS_SELECTOR, "form[action='/sign-out'] button").click()
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "a[href^='/sign-in']"), "signed out")

    # The focal point follows the mailed link, in a browser of its own.
    link, message = mailed_link(data, "focal@example.org")
    assert "Content-Language: fr" in message and "point focal" in message
    browser.delete_all_cookies()
    browser.get(link)
    assert "focal@example.org" in browser.page_source
    accessible(browser)
    fill(browser, {"display_name": "Fiona Focal", "password": "a secret only Fiona knows",
                   "password_again": "a secret only Fiona knows"})
    submit(browser, link[len(url):])
    wait_for(browser, lambda d: d.current_url.endswith("/networks/carin"), "the network's page")
    page = browser.page_source
    assert "Fiona Focal" in page
    assert 'href="/account"' in page and "/admin/accounts" not in page and 'href="/invitations"' not in page
    accessible(browser)
    for path in ("/admin/accounts", "/admin/audit", "/invitations"):
        browser.get(url + path)
        assert browser.find_element(By.TAG_NAME, "h1").text in ("Not allowed", "Non autorisé"), path
    # The browser logs each refusal (403) as a failed load: three of them, nothing else.
    refusals = [entry["message"] for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert len(refusals) == 3 and all("403" in message for message in refusals), refusals
    # Its network's edit form and history are open to it, and accessible.
    browser.get(url + "/networks/carin/edit")
    assert browser.find_element(By.NAME, "website")
    accessible(browser)
    browser.get(url + "/networks/carin/history")
    accessible(browser)
    browser.get(url + "/networks/carin/members")
    assert browser.find_element(By.ID, "party_0")
    accessible(browser)
    browser.get(url + "/account?lang=fr")
    assert "point focal" in browser.page_source
    accessible(browser)

    # The link worked once.
    browser.delete_all_cookies()
    browser.get(link + "?lang=en")
    assert "This link was used already" in browser.page_source
    # The refusal (410) is logged by the browser as a failed load; leave no such entry to the tests that follow.
    gone = [entry["message"] for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert len(gone) == 1 and "410" in gone[0], gone
