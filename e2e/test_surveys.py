"""Surveys in Chromium, the issue's "Done when": the secretariat sends "Needs of the networks" to every network,
three networks answer (one in French), reminders reach the others, and the secretariat reads the results as charts
(axe) and downloads the CSV, which Python's csv module reads with one row per answering network."""
import csv
import datetime
import glob
import io
import os
import re
import subprocess
import time
import urllib.parse
import urllib.request
import email
import email.policy

from selenium.webdriver.common.by import By

from test_accounts import PASSWORD, accessible, submit, wait_for
from test_curation import sign_in_editor
from test_library import sign_in


def focal_point(server, address, network, language):
    created = subprocess.run([server["binary"], "user", "create", "--data-dir", server["data"], "--email", address,
                              "--name", address.split("@")[0], "--role", "focal_point", "--network", network,
                              "--language", language, "--password-stdin"],
                             input=PASSWORD + "\n", capture_output=True, text=True, timeout=60)
    assert created.returncode == 0, created.stderr


def mails(data, recipient):
    found = []
    for path in sorted(glob.glob(os.path.join(data, "mail", "*.eml"))):
        with open(path, "rb") as handle:
            message = email.message_from_bytes(handle.read(), policy=email.policy.default)
        if message["To"] == recipient:
            found.append(message)
    return found


def wait_for_mail(data, recipient, subject, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        for message in mails(data, recipient):
            if subject in str(message["Subject"]):
                return message
        time.sleep(0.5)
    raise AssertionError(f"no mail to {recipient} about {subject}")


def test_done_when_the_secretariat_asks_every_network_what_it_needs(browser, server):
    url = server["url"]
    browser.get_log("browser")  # what earlier tests left in the browser's log (an expected 404) is not this test's
    answering = [("carin", "en"), ("ejn", "fr"), ("eurojust", "en")]
    for slug, language in answering + [("iberred", "fr")]:
        focal_point(server, f"survey-{slug}@example.org", slug, language)

    # The secretariat opens "Needs of the networks", closes it in five days, and sends it to every network.
    sign_in_editor(browser, server, "survey-secretariat@example.org", "Sue Survey")
    browser.get(url + "/surveys?lang=en")
    accessible(browser)
    browser.find_element(By.ID, "start-needs").click()
    submit(browser, "/surveys/new")
    wait_for(browser, lambda d: re.search(r"/surveys/\d+$", d.current_url), "the new survey")
    path = urllib.parse.urlparse(browser.current_url).path
    survey = path.rsplit("/", 1)[1]
    assert "What further services and assistance does your network require?" in browser.page_source
    accessible(browser)
    closes = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=5)).strftime("%Y-%m-%d")
    field = browser.find_element(By.NAME, "closes")
    browser.execute_script("arguments[0].value = arguments[1]", field, closes)
    submit(browser, path + "/settings")
    wait_for(browser, lambda d: "done=saved" in d.current_url, "the settings saved")
    browser.get(url + path + "/preview?lang=fr")
    assert "De quels services et de quelle assistance supplémentaires votre réseau a-t-il besoin ?" in browser.page_source
    accessible(browser)
    browser.get(url + path + "?lang=en")
    browser.find_element(By.ID, "audience-every").click()
    submit(browser, path + "/send")
    wait_for(browser, lambda d: "done=sent" in d.current_url, "the survey sent")
    invitation = wait_for_mail(server["data"], "survey-ejn@example.org", "Enquête")
    assert f"/surveys/{survey}/answer/ejn?lang=fr" in invitation.get_body(("plain",)).get_content()

    # Three networks answer, one in French; each from its focal point's mailed link.
    for slug, language in answering:
        sign_in(browser, url, f"survey-{slug}@example.org")
        browser.get(url + f"/surveys/{survey}/answer/{slug}?lang={language}")
        accessible(browser)
        browser.find_element(By.ID, "answer-q4-3").click()          # 4 on the scale
        browser.find_element(By.ID, "answer-q5-1").click()          # a knowledge-sharing platform
        if slug == "ejn":
            browser.find_element(By.ID, "answer-q5-3").click()      # a mailing list
        browser.find_element(By.ID, "answer-q7-1").click()          # yes, if it is virtual
        browser.find_element(By.NAME, "answer-q13").send_keys("Des formations communes." if language == "fr" else "Joint training.")
        browser.find_element(By.CSS_SELECTOR, "button[value='submit']").click()
        wait_for(browser, lambda d: "done=sent" in d.current_url, f"{slug}'s answer sent")
        assert ("Envoyée le" if language == "fr" else "Sent on") in browser.page_source

    # The reminders reach the networks that have not answered, not those that did.
    reminded = subprocess.run([server["binary"], "surveys", "remind", "--data-dir", server["data"], "--public-url", url],
                              capture_output=True, text=True, timeout=60)
    assert reminded.returncode == 0, reminded.stderr
    assert re.search(r"[1-9]\d* survey reminders? queued", reminded.stderr + reminded.stdout), reminded.stderr
    reminder = wait_for_mail(server["data"], "survey-iberred@example.org", "Rappel")
    assert f"/surveys/{survey}/answer/iberred" in reminder.get_body(("plain",)).get_content()
    assert not any("Reminder" in str(m["Subject"]) or "Rappel" in str(m["Subject"]) for m in mails(server["data"], "survey-carin@example.org"))

    # The secretariat reads the results as charts beside their tables, and downloads the CSV.
    sign_in_editor(browser, server, "survey-reader@example.org", "Rae Reader")
    browser.get(url + path + "?lang=en")
    assert re.search(r"<p>3 of \d+ networks asked have sent their answer\.</p>", browser.page_source)
    browser.get(url + path + "/results?lang=en")
    accessible(browser)
    charts = browser.find_elements(By.CSS_SELECTOR, "svg[role='img']")
    assert len(charts) >= 4
    assert browser.find_element(By.ID, "q-q5-title").get_attribute("textContent").startswith("q5.")
    assert "Joint training." in browser.page_source and "Des formations communes." in browser.page_source
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in browser.get_cookies())
    request = urllib.request.Request(url + path + "/results?format=csv&lang=en", headers={"Cookie": cookies})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
        text = response.read().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 1 + len(answering), rows
    header = rows[0]
    assert header[:2] == ["Network", "Acronym"] and header[6] == "q5. Which of these services would help your network?"
    by_acronym = {row[1]: row for row in rows[1:]}
    assert by_acronym["EJN"][6] == "A knowledge-sharing platform open to all the networks; An electronic mailing list between the networks"
    assert by_acronym["CARIN"][5] == "4"
    # Closed, the results are published to the focal points of the networks asked: counts, never a network's words.
    browser.get(url + path + "?lang=en")
    browser.find_element(By.ID, "confirm").click()
    submit(browser, path + "/close")
    wait_for(browser, lambda d: "done=saved" in d.current_url, "the survey closed")
    # (IberRed's focal point, whose network was asked and did not answer: an answering network's reader would know
    # its own answer, and three would then be too few to publish to them.)
    sign_in(browser, url, "survey-iberred@example.org")
    browser.get(url + path + "/results?lang=en")
    # The scale, the services, the annual meeting (the members, a fact of the catalogue, are not published).
    assert len(browser.find_elements(By.CSS_SELECTOR, "svg[role='img']")) == 3
    assert "Joint training." not in browser.page_source and "Des formations communes." not in browser.page_source
    accessible(browser)
    browser.delete_all_cookies()
