"""Curation as people meet it, in the browser against the running server: an anonymous visitor proposes a
network, is told it looks like SEEPAG, sends it; an editor (made with the command line) accepts it; the
history and the Atom feed show it; the editor undoes it. Then an earlier version of an entry is restored
after the page has shown what restoring changes. Every page on the way passes axe."""
import subprocess
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ElementTree

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from test_accounts import PASSWORD, accessible, fill, submit, totp, wait_for

ATOM = "{http://www.w3.org/2005/Atom}"


def feed_titles(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
        root = ElementTree.fromstring(response.read())
    return [entry.find(ATOM + "title").text for entry in root.iter(ATOM + "entry")]


def sign_in_editor(browser, server, email="editor@example.org", name="Edith Editor"):
    """A new editor's first sign-in: the password, then the second factor set up from the page's otpauth link."""
    url = server["url"]
    created = subprocess.run([server["binary"], "user", "create", "--data-dir", server["data"], "--email", email,
                              "--name", name, "--role", "editor", "--password-stdin"],
                             input=PASSWORD + "\n", capture_output=True, text=True, timeout=60)
    assert created.returncode == 0, created.stderr
    browser.delete_all_cookies()
    browser.get(url + "/sign-in?lang=en")
    fill(browser, {"email": email, "password": PASSWORD})
    submit(browser, "/sign-in")
    wait_for(browser, lambda d: d.current_url.endswith("/account/two-factor"), "the second factor's set-up")
    otpauth = browser.find_element(By.CSS_SELECTOR, "a[href^='otpauth://']").get_attribute("href")
    secret = urllib.parse.parse_qs(urllib.parse.urlparse(otpauth).query)["secret"][0]
    fill(browser, {"code": totp(secret)})
    submit(browser, "/account/two-factor")
    wait_for(browser, lambda d: "recovery" in d.page_source.lower(), "the recovery codes")


def test_a_visitors_proposal_is_flagged_accepted_shown_in_the_history_and_feed_and_undone(browser, server):
    url = server["url"]
    # An anonymous visitor proposes a network much like SEEPAG.
    browser.delete_all_cookies()
    browser.get(url + "/propose?lang=en")
    fill(browser, {"slug": "south-east-prosecutors", "name": "South-East European Prosecutors Group",
                   "members": "Albania, Bosnia and Herzegovina, Bulgaria, Croatia, Greece, Hungary, Montenegro, Romania, Serbia, Turkey, Spain, Portugal",
                   "source": "https://sepg.example/about", "proposer_name": "Vera Visitor"})
    Select(browser.find_element(By.ID, "scope")).select_by_value("south-east-europe")
    browser.find_element(By.CSS_SELECTOR, "button[value=check]").click()
    wait_for(browser, lambda d: "This looks like a network the catalogue already has" in d.page_source, "the duplicate check")
    assert "South Eastern European Prosecutors Advisory Group" in browser.page_source
    assert "Countries in common: 10 of 12 (full members: 10)" in browser.page_source
    accessible(browser)
    browser.find_element(By.CSS_SELECTOR, "button[value=send]").click()
    wait_for(browser, lambda d: "Thank you" in d.page_source, "the proposal sent")
    accessible(browser)

    # An editor reviews and accepts it.
    sign_in_editor(browser, server)
    browser.get(url + "/admin/proposals")
    accessible(browser)
    browser.find_element(By.PARTIAL_LINK_TEXT, "South-East European Prosecutors Group").click()
    wait_for(browser, lambda d: "/admin/proposals/" in d.current_url, "the proposal")
    assert "South Eastern European Prosecutors Advisory Group" in browser.page_source, "the review shows the likely duplicate"
    accessible(browser)
    action = browser.find_element(By.CSS_SELECTOR, "form[action$='/accept']").get_attribute("action")
    submit(browser, urllib.parse.urlparse(action).path)
    wait_for(browser, lambda d: d.current_url.endswith("/networks/south-east-prosecutors/history"), "the new network's history")
    assert "Edith Editor, proposed by Vera Visitor" in browser.page_source
    accessible(browser)
    titles = feed_titles(url + "/changes.atom")
    assert titles[0] == "South-East European Prosecutors Group: created", titles
    assert feed_titles(url + "/networks/south-east-prosecutors/changes.atom")[0] == "South-East European Prosecutors Group: created"

    # The editor undoes it: the network is gone again, and the change says so.
    browser.find_element(By.CSS_SELECTOR, "form[action$='/undo'] button").click()
    wait_for(browser, lambda d: d.current_url.endswith("/changes"), "the list of changes")
    assert "the network is removed" in browser.page_source
    browser.get(url + "/networks/south-east-prosecutors")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Page not found"
    # The browser logs the 404 as a failed load: one, and nothing else.
    missing = [entry["message"] for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert len(missing) == 1 and "404" in missing[0], missing


def test_an_earlier_version_is_restored_after_seeing_what_it_changes(browser, server):
    url = server["url"]
    # The editor of the test above is signed in; make two edits of CARIN.
    for field, value in (("website", "https://www.carin.network"), ("founded", "2004")):
        browser.get(url + "/networks/carin/edit?lang=en")
        fill(browser, {field: value, "reason": f"setting {field}"})
        submit(browser, "/networks/carin/edit")
        wait_for(browser, lambda d: d.current_url.endswith("/networks/carin?saved=1"), "the saved entry")
    browser.get(url + "/networks/carin/history")
    links = browser.find_elements(By.PARTIAL_LINK_TEXT, "Restore this version")
    assert len(links) == 2, "the two earlier versions (the import, the first edit)"
    links[0].click()
    wait_for(browser, lambda d: d.current_url.endswith("/restore"), "the restore page")
    page = browser.page_source
    assert "<del>2004</del>" in page and "carin.network</del>" not in page, "restoring the first edit takes away only the second"
    accessible(browser)
    fill(browser, {"reason": "the founding year was wrong"})
    browser.find_element(By.CSS_SELECTOR, "form[action$='/restore'] button[type=submit]").click()
    wait_for(browser, lambda d: d.current_url.endswith("/networks/carin/history"), "the history")
    assert "restored the version of revision" in browser.page_source and "the founding year was wrong" in browser.page_source
    browser.get(url + "/networks/carin")
    assert "https://www.carin.network" in browser.page_source and "2004" not in browser.find_element(By.CSS_SELECTOR, "dl.facts").text
    browser.find_element(By.CSS_SELECTOR, "form[action='/sign-out'] button").click()
