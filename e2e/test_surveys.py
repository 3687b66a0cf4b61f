"""Surveys in Chromium, the issue's "Done when": the secretariat sends "Needs of the networks" to every network,
three networks answer (one in French), reminders reach the others, and the secretariat reads the results as charts
(axe) and downloads the CSV, which Python's csv module reads with one row per answering network."""
import csv
import datetime
import json
import glob
import io
import os
import re
import sqlite3
import subprocess
import time
import urllib.parse
import urllib.request
import email
import email.policy

from selenium.webdriver.common.by import By

from conftest import texts_outside_pictures
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
    browser.get(url + path + "/preview?in=fr")
    assert "De quels services et de quelle assistance supplémentaires votre réseau a-t-il besoin ?" in browser.page_source
    accessible(browser)
    browser.get(url + path)
    assert "Send the survey" in browser.page_source, "the preview in French left the editor's pages in English"
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

    # A week passes: no reminder goes for a stage that came before a network was asked, so the survey's sending is
    # moved eight days back in the database (the server's clock cannot be); then the reminders reach the networks
    # that have not answered, not those that did.
    with sqlite3.connect(os.path.join(server["data"], "liaison.sqlite")) as database:
        week_ago = (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=8)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        database.execute("UPDATE survey_networks SET asked_at = ? WHERE survey_id = ?", (week_ago, int(survey)))
        database.execute("UPDATE surveys SET sent_at = ? WHERE id = ?", (week_ago, int(survey)))
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
    # Every network of the catalogue that is active: 39 of the report's 40 (the WBPN project had ended).
    active = json.load(urllib.request.urlopen(url + "/api/v1/networks?status=active&per_page=1", timeout=30))["total"]
    assert active == 39
    assert f"<p>3 of {active} networks asked have sent their answer.</p>" in browser.page_source
    browser.get(url + path + "/results?lang=en")
    accessible(browser)
    charts = browser.find_elements(By.CSS_SELECTOR, "svg[role='img']")
    assert len(charts) >= 4
    # Every text of every chart lies inside its picture, as the browser lays it out (a figure after a full-length bar,
    # "3 (100 %)", was cut at the edge).
    outside = texts_outside_pictures(browser)
    assert outside == [], outside
    assert browser.find_element(By.ID, "q-q5-title").get_attribute("textContent").startswith("q5.")
    assert "Joint training." in browser.page_source and "Des formations communes." in browser.page_source
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in browser.get_cookies())
    request = urllib.request.Request(url + path + "/results?format=csv&lang=en", headers={"Cookie": cookies})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
        raw = response.read()
    assert raw.startswith(b"\xef\xbb\xbf"), "the BOM a spreadsheet needs to read UTF-8"
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 1 + len(answering), rows
    header = rows[0]
    assert header[:2] == ["Network", "Acronym"] and header[6] == "q5. Which of these services would help your network?"
    by_acronym = {row[1]: row for row in rows[1:]}
    assert by_acronym["EJN"][6] == "A knowledge-sharing platform open to all the networks; An electronic mailing list between the networks"
    assert by_acronym["CARIN"][5] == "4"
    # In French, as a French spreadsheet reads it: fields separated by semicolons.
    request = urllib.request.Request(url + path + "/results?format=csv&lang=fr", headers={"Cookie": cookies})
    with urllib.request.urlopen(request, timeout=30) as response:
        french = list(csv.reader(io.StringIO(response.read().decode("utf-8-sig")), delimiter=";"))
    assert french[0][:2] == ["Réseau", "Abréviation"] and len(french) == 1 + len(answering)
    assert {row[1]: row for row in french[1:]}["EJN"][6].startswith("Une plateforme de partage des connaissances")

    # IberRed, reminded, answers in French from the reminder's link (the secretariat's session is kept aside).
    secretariat = browser.get_cookies()
    reminded_link = re.search(r"https?://\S+/answer/iberred\S*", reminder.get_body(("plain",)).get_content()).group(0)
    sign_in(browser, url, "survey-iberred@example.org")
    browser.get(url + urllib.parse.urlparse(reminded_link).path + "?" + urllib.parse.urlparse(reminded_link).query)
    assert "Rappel" not in browser.page_source and "q4." in browser.page_source
    browser.find_element(By.ID, "answer-q4-1").click()
    browser.find_element(By.ID, "answer-q5-1").click()
    browser.find_element(By.ID, "answer-q7-1").click()
    browser.find_element(By.CSS_SELECTOR, "button[value='submit']").click()
    wait_for(browser, lambda d: "done=sent" in d.current_url, "IberRed's answer sent")
    assert "Envoyée le" in browser.page_source
    browser.delete_all_cookies()
    for cookie in secretariat:
        browser.add_cookie({key: cookie[key] for key in ("name", "value", "path", "secure", "httpOnly") if key in cookie})
    # Closed, the results are published to the focal points of the networks that answered: counts, never their words.
    browser.get(url + path + "?lang=en")
    browser.find_element(By.ID, "confirm").click()
    submit(browser, path + "/close")
    wait_for(browser, lambda d: "done=saved" in d.current_url, "the survey closed")
    # IberRed's focal point reads them: four networks answered, and three besides its own are enough.
    sign_in(browser, url, "survey-iberred@example.org")
    browser.get(url + path + "/results?lang=en")
    # The scale, the services, the annual meeting (the members, a fact of the catalogue, are not published).
    assert len(browser.find_elements(By.CSS_SELECTOR, "svg[role='img']")) == 3
    assert "Joint training." not in browser.page_source and "Des formations communes." not in browser.page_source
    accessible(browser)
    browser.delete_all_cookies()
