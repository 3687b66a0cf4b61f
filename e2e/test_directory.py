"""The restricted directory as a practitioner meets it: the sample imported from the command line, a second factor
set up by scanning the QR code, the directory searched in English and French (axe on every page), an entry's vCard
read by a real vCard parser (vobject); a visitor and an account without a second factor see none of it."""
import os
import subprocess
import urllib.parse
import urllib.request

import vobject
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from test_accounts import PASSWORD, accessible, decoded_qr, fill, submit, totp, wait_for

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(server, *arguments, stdin=None):
    done = subprocess.run([server["binary"], *arguments, "--data-dir", server["data"]], input=stdin, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    return done


def test_a_practitioner_with_a_second_factor_finds_whom_to_call(browser, server):
    url = server["url"]
    imported = run(server, "directory", "import", os.path.join(ROOT, "docs", "data", "directory-sample.csv"))
    assert "7 entries added" in imported.stderr
    run(server, "user", "create", "--email", "prosecutor@example.org", "--name", "Pia Prosecutor", "--role", "practitioner",
        "--password-stdin", stdin=PASSWORD + "\n")

    # A visitor is sent to sign in.
    browser.delete_all_cookies()
    browser.get(url + "/directory")
    assert "/sign-in" in browser.current_url

    # Signed in without a second factor: told what opens the directory; none of it shown.
    fill(browser, {"email": "prosecutor@example.org", "password": PASSWORD})
    submit(browser, "/sign-in")
    wait_for(browser, lambda d: "/directory" in d.current_url or "/account" in d.current_url, "signed in")
    browser.get(url + "/directory?lang=en")
    assert "who sign in with a second factor" in browser.page_source and "Alba" not in browser.page_source
    browser.get_log("browser")  # the 403 is logged by the browser as a failed load

    # The practitioner scans the QR code and turns the second factor on.
    browser.get(url + "/account/two-factor")
    otpauth = decoded_qr(browser.find_element(By.CSS_SELECTOR, "figure.qr svg"))
    secret = urllib.parse.parse_qs(urllib.parse.urlparse(otpauth).query)["secret"][0]
    fill(browser, {"code": totp(secret)})
    submit(browser, "/account/two-factor")
    wait_for(browser, lambda d: "ul.codes" in d.page_source or d.find_elements(By.CSS_SELECTOR, "ul.codes"), "the recovery codes")

    # Whom to call in Ghana, from Spain.
    browser.get(url + "/directory?lang=en")
    assert "5 entries" in browser.page_source and "Claire Exemple" not in browser.page_source
    accessible(browser)
    Select(browser.find_element(By.ID, "country")).select_by_value("GH")
    browser.find_element(By.CSS_SELECTOR, "form.facets button[type=submit]").click()
    wait_for(browser, lambda d: "country=GH" in d.current_url, "the search")
    assert "2 entries" in browser.page_source and "Kwame Sample" in browser.page_source
    browser.find_element(By.LINK_TEXT, "Alba Ejemplo").click()
    wait_for(browser, lambda d: "/directory/" in d.current_url, "the entry")
    assert "posted by Spain in Ghana" in browser.page_source and "+34600000001" in browser.page_source
    accessible(browser)
    entry_url = browser.current_url.split("?")[0]
    browser.get(entry_url + "?lang=fr")
    assert "détaché par Espagne en (ou auprès de) Ghana" in browser.page_source
    accessible(browser)
    browser.get(url + "/directory?lang=fr")
    assert "5 fiches" in browser.page_source
    accessible(browser)

    # The entry's vCard, read by a real parser, with the session of the browser.
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in browser.get_cookies())
    request = urllib.request.Request(entry_url + "/vcard", headers={"Cookie": cookies})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.headers["Content-Type"] == "text/vcard; charset=utf-8"
        assert response.headers["Cache-Control"] == "no-store"
        text = response.read().decode("utf-8")
    card = vobject.readOne(text)
    assert card.version.value == "4.0" and card.fn.value == "Alba Ejemplo"
    assert [tel.value for tel in card.contents["tel"]] == ["tel:+34910000001", "tel:+34600000001"]
    assert "Spain → Ghana" in card.role.value
    request = urllib.request.Request(url + "/directory.vcf?country=GH", headers={"Cookie": cookies})
    with urllib.request.urlopen(request, timeout=10) as response:
        names = sorted(c.fn.value for c in vobject.readComponents(response.read().decode("utf-8")))
    assert names == ["Alba Ejemplo", "Kwame Sample"]
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []
    browser.delete_all_cookies()  # the tests that follow start as a visitor


def sign_in_with_new_second_factor(browser, url, email):
    """Signs in with the password, sets up the second factor by scanning the QR code, lands on the recovery codes."""
    browser.delete_all_cookies()
    browser.get(url + "/sign-in?lang=en")
    fill(browser, {"email": email, "password": PASSWORD})
    submit(browser, "/sign-in")
    wait_for(browser, lambda d: d.current_url.endswith("/account/two-factor") or "/account" in d.current_url, "signed in")
    browser.get(url + "/account/two-factor")
    otpauth = decoded_qr(browser.find_element(By.CSS_SELECTOR, "figure.qr svg"))
    secret = urllib.parse.parse_qs(urllib.parse.urlparse(otpauth).query)["secret"][0]
    fill(browser, {"code": totp(secret)})
    submit(browser, "/account/two-factor")
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "ul.codes"), "the recovery codes")


def test_the_directorys_keepers_and_the_people_listed_have_accessible_pages(browser, server):
    """The editors' pages (import, edit, access log) and a listed person's own page, in both languages, pass axe."""
    url = server["url"]
    run(server, "user", "create", "--email", "keeper@example.org", "--name", "Kim Keeper", "--role", "administrator",
        "--password-stdin", stdin=PASSWORD + "\n")
    sign_in_with_new_second_factor(browser, url, "keeper@example.org")
    # The keeper uploads the sample file itself (already imported: its seven people are updated).
    browser.get(url + "/directory/import?lang=en")
    browser.find_element(By.ID, "csv_file").send_keys(os.path.join(ROOT, "docs", "data", "directory-sample.csv"))
    submit(browser, "/directory/import")
    wait_for(browser, lambda d: "Imported:" in d.page_source, "the import")
    assert "Imported: 0 added, 7 updated." in browser.page_source
    accessible(browser)
    for path in ("/directory/import", "/admin/directory-access"):
        for language in ("en", "fr"):
            browser.get(url + path + "?lang=" + language)
            assert browser.find_element(By.TAG_NAME, "h1").text, path
            accessible(browser)
    browser.get(url + "/directory?lang=en&q=beatriz")
    browser.find_element(By.LINK_TEXT, "Beatriz Exemplo").click()
    wait_for(browser, lambda d: "/directory/" in d.current_url, "the entry")
    entry = browser.current_url.split("?")[0]
    accessible(browser)
    browser.get(entry + "/edit?lang=fr")
    assert "ponto de contacto" in browser.find_element(By.ID, "roles").get_attribute("value")
    accessible(browser)

    # On a phone (390 pixels), none of the directory's pages scrolls sideways; the results come before the filters.
    browser.set_window_size(390, 844)
    try:
        wide = []
        for path in ("/directory", "/directory?country=GH", entry[len(url):], entry[len(url):] + "/edit", "/directory/import",
                     "/admin/directory-access", "/finder?from=ES&to=GH"):
            browser.get(url + path)
            scroll, client = browser.execute_script("return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            if scroll > client:
                wide.append(f"{path}: {scroll} > {client}")
        assert wide == [], wide
        browser.get(url + "/directory?lang=en")
        assert browser.find_element(By.ID, "directory-results").location["y"] < browser.find_element(By.CSS_SELECTOR, "form.facets").location["y"]
    finally:
        browser.set_window_size(1280, 1000)

    # Beatriz, with an account at the address the directory lists, sees and downloads what it holds about her.
    run(server, "user", "create", "--email", "beatriz.exemplo@example.org", "--name", "Beatriz", "--role", "practitioner",
        "--password-stdin", stdin=PASSWORD + "\n")
    browser.delete_all_cookies()
    browser.get(url + "/sign-in?lang=en")
    fill(browser, {"email": "beatriz.exemplo@example.org", "password": PASSWORD})
    submit(browser, "/sign-in")
    wait_for(browser, lambda d: "/sign-in" not in d.current_url, "signed in")
    for language in ("en", "fr"):
        browser.get(url + "/account/directory?lang=" + language)
        assert "Beatriz Exemplo" in browser.page_source and "+556100000003" in browser.page_source
        accessible(browser)
    browser.delete_all_cookies()  # the tests that follow start as a visitor
