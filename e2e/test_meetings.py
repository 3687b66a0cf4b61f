"""Meetings in Chromium: the secretariat sets up the annual meeting of network leaders, online, in Strasbourg's time;
anyone reads it in English and French and adds it to a calendar that Python's icalendar reads at the right instant."""
import datetime
import email
import email.policy
import glob
import json
import os
import re
import subprocess
import time
import urllib.parse
import urllib.request

import icalendar
from email.message import Message
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from selenium.webdriver.common.by import By

from test_accounts import PASSWORD, accessible, fill, submit, wait_for
from test_curation import sign_in_editor


def set_value(browser, name, value):
    """A datetime-local field, set as a person's picker would (its typed format depends on the browser's locale)."""
    element = browser.find_element(By.NAME, name)
    browser.execute_script("arguments[0].value = arguments[1]", element, value)
    assert element.get_attribute("value") == value


def test_the_secretariat_sets_up_the_annual_meeting_and_a_participant_adds_it_to_a_calendar(browser, server):
    url = server["url"]
    sign_in_editor(browser, server, "meetings-secretariat@example.org", "Sam Secretariat")
    browser.get(url + "/meetings?lang=en")
    accessible(browser)
    browser.find_element(By.CSS_SELECTOR, "a[href='/meetings/new']").click()
    wait_for(browser, lambda d: d.current_url.endswith("/meetings/new"), "the new meeting's form")
    accessible(browser)
    fill(browser, {
        "title_en": "Annual meeting of network leaders 2027",
        "title_fr": "Réunion annuelle des responsables des réseaux 2027",
        "summary_en": "The **leaders** of every network meet online.\n\n<b>HTML</b> is shown as written.",
        "kind": "leaders-meeting", "format": "online", "time_zone": "Europe/Paris",
        "conference_url": "https://meet.example.org/leaders-2027",
        "agenda_en": "1. Opening\n2. What the networks need", "series": "annual-meeting",
    })
    set_value(browser, "starts", "2027-03-18T09:30")
    set_value(browser, "ends", "2027-03-18T17:00")
    submit(browser, "/meetings/new")
    wait_for(browser, lambda d: "saved=1" in d.current_url, "the saved meeting")
    path = urllib.parse.urlparse(browser.current_url).path
    page = browser.page_source
    assert "18 March 2027, 09:30–17:00 (Europe/Paris, UTC+01:00)" in page
    assert browser.find_element(By.CSS_SELECTOR, "section.prose strong").text == "leaders"
    assert browser.find_elements(By.CSS_SELECTOR, "section.prose b") == [], "HTML in the text is not passed through"
    assert "<b>HTML</b>" in browser.find_element(By.CSS_SELECTOR, "section.prose").text
    accessible(browser)

    # A participant (anyone) reads it in French, on a phone's width, and adds it to a calendar.
    browser.delete_all_cookies()
    browser.set_window_size(390, 844)
    try:
        browser.get(url + path + "?lang=fr")
        assert "18 mars 2027, 09:30–17:00 (Europe/Paris, UTC+01:00)" in browser.page_source
        assert "leaders-2027" not in browser.page_source, "the conferencing link is for those registered"
        accessible(browser)
        link = browser.find_element(By.CSS_SELECTOR, f"a[href='{path}.ics']")
        assert link.text == "Ajouter à mon agenda (iCalendar)"
    finally:
        browser.set_window_size(1280, 1000)
    with urllib.request.urlopen(url + path + ".ics", timeout=10) as response:
        assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
        calendar = icalendar.Calendar.from_ical(response.read())
    event = calendar.walk("VEVENT")[0]
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    assert event["DTSTART"].dt.astimezone(datetime.timezone.utc) == datetime.datetime(2027, 3, 18, 8, 30, tzinfo=datetime.timezone.utc)
    assert event["DTEND"].dt.astimezone(datetime.timezone.utc) == datetime.datetime(2027, 3, 18, 16, 0, tzinfo=datetime.timezone.utc)
    assert str(event["SUMMARY"]) == "Annual meeting of network leaders 2027"
    assert str(event["URL"]) == url + path
    assert int(event["SEQUENCE"]) == 0 and str(event["STATUS"]) == "CONFIRMED"
    assert "leaders-2027" not in response_text(url + "/meetings.ics")


def response_text(address):
    with urllib.request.urlopen(address, timeout=10) as response:
        return response.read().decode()


def mail_to(data, recipient, containing, timeout=30):
    """The first message to `recipient` holding `containing`, as the running server delivered it (an .eml file),
    read by Python's mail parser."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        for path in sorted(glob.glob(os.path.join(data, "mail", "*.eml"))):
            with open(path, "rb") as handle:
                message = email.message_from_bytes(handle.read(), policy=email.policy.default)
            if message["To"] == recipient and containing in str(message["Subject"]):
                return message
        time.sleep(0.5)
    raise AssertionError(f"no mail to {recipient} about {containing} within {timeout} s")


def delivery_report(message, status="5.1.1"):
    """What a mail server sends back when `message` could not be delivered: a delivery status notification (RFC 3464)
    made by Python's own MIME classes, with the returned headers."""
    report = MIMEMultipart("report", report_type="delivery-status")
    report["From"] = "MAILER-DAEMON@mx.example.org"
    report["Subject"] = "Undelivered Mail Returned to Sender"
    report.attach(MIMEText("Your message could not be delivered."))
    groups = []
    for fields in ([("Reporting-MTA", "dns; mx.example.org")],
                   [("Final-Recipient", "rfc822; " + message["To"]), ("Action", "failed"), ("Status", status),
                    ("Diagnostic-Code", "smtp; 550 5.1.1 User unknown")]):
        group = Message()
        for name, value in fields:
            group[name] = value
        groups.append(group)
    status_part = MIMEBase("message", "delivery-status")
    del status_part["MIME-Version"]
    status_part.set_payload(groups)
    report.attach(status_part)
    report.attach(MIMEText(f"To: {message['To']}\nMessage-ID: {message['Message-ID']}\n", "rfc822-headers"))
    return report.as_bytes()


def mail_bounce(server, data):
    """`liaison mail bounce` as a mail server's pipe runs it: the report on standard input."""
    return subprocess.run([server["binary"], "mail", "bounce", "--data-dir", server["data"], "--public-url", server["url"]],
                          input=data, capture_output=True, timeout=60)


def test_every_networks_focal_point_is_invited_and_one_accepts_from_the_mailed_link(browser, server):
    url = server["url"]
    created = subprocess.run([server["binary"], "user", "create", "--data-dir", server["data"], "--email", "fp-iberred@example.org",
                              "--name", "Inés IberRed", "--role", "focal_point", "--network", "iberred", "--language", "fr",
                              "--password-stdin"], input=PASSWORD + "\n", capture_output=True, text=True, timeout=60)
    assert created.returncode == 0, created.stderr
    sign_in_editor(browser, server, "meetings-organiser@example.org", "Sam Secretariat")
    browser.get(url + "/meetings/new?lang=en")
    fill(browser, {"title_en": "Annual meeting of network leaders 2028", "title_fr": "Réunion annuelle 2028", "kind": "leaders-meeting",
                   "format": "online", "time_zone": "Europe/Paris", "conference_url": "https://meet.example.org/leaders-2028"})
    set_value(browser, "starts", "2028-03-16T09:30")
    set_value(browser, "ends", "2028-03-16T17:00")
    submit(browser, "/meetings/new")
    wait_for(browser, lambda d: "saved=1" in d.current_url, "the saved meeting")
    path = urllib.parse.urlparse(browser.current_url).path
    browser.get(url + path + "/invitations?lang=en")
    accessible(browser)
    browser.find_element(By.ID, "audience-every").click()
    submit(browser, path + "/invite")
    wait_for(browser, lambda d: "invited=" in d.current_url, "the invitations sent")
    assert "invitations sent" in browser.page_source
    accessible(browser)

    # The focal point of IberRed gets a personal mail in French, with the calendar to add, and answers from it.
    message = mail_to(server["data"], "fp-iberred@example.org", "Invitation")
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "Oui, je participerai" in text and "16 mars 2028, 09:30–17:00 (Europe/Paris, UTC+01:00)" in text
    parts = [part for part in message.walk() if part.get_content_type() == "text/calendar"]
    assert len(parts) == 1 and parts[0].get_param("method") == "REQUEST"
    event = icalendar.Calendar.from_ical(parts[0].get_content()).walk("VEVENT")[0]
    assert str(event["ATTENDEE"]) == "mailto:fp-iberred@example.org" and event["ATTENDEE"].params["RSVP"] == "TRUE"
    assert event["DTSTART"].dt.astimezone(datetime.timezone.utc) == datetime.datetime(2028, 3, 16, 8, 30, tzinfo=datetime.timezone.utc)
    accept = re.search(r"(http://127\.0\.0\.1:\d+/meetings/answer/[A-Za-z0-9_-]{43}\?answer=yes&lang=fr)", text).group(1)
    browser.delete_all_cookies()
    browser.get(accept)
    assert "Inés IberRed" in browser.page_source
    accessible(browser)
    browser.find_element(By.CSS_SELECTOR, "button[name='answer'][value='yes']").click()
    wait_for(browser, lambda d: "Vous êtes inscrit(e)" in d.page_source, "the registration")
    place = mail_to(server["data"], "fp-iberred@example.org", "Votre place")
    assert "https://meet.example.org/leaders-2028" in place.get_body(preferencelist=("plain",)).get_content()


def test_a_newsletter_goes_out_with_the_list_headers_and_one_click_unsubscribe_works_without_a_cookie(browser, server):
    url = server["url"]
    sign_in_editor(browser, server, "lists-secretariat@example.org", "Lou Lists")
    browser.get(url + "/lists/new?lang=en")
    accessible(browser)
    fill(browser, {"slug": "newsletter", "title_en": "Liaison newsletter", "title_fr": "Lettre de Liaison", "summary_en": "News of the networks."})
    submit(browser, "/lists/new")
    wait_for(browser, lambda d: d.current_url.endswith("/lists/newsletter"), "the new list")

    # A reader subscribes without an account, in French, and confirms from the mail.
    browser.delete_all_cookies()
    browser.get(url + "/lists/newsletter?lang=fr")
    accessible(browser)
    fill(browser, {"email": "lecteur@example.org", "language": "fr"})
    submit(browser, "/lists/newsletter/subscribe")
    wait_for(browser, lambda d: "ouvrez son lien" in d.page_source, "the answer")
    confirmation = mail_to(server["data"], "lecteur@example.org", "Confirmez")
    link = re.search(r"(http://127\.0\.0\.1:\d+/lists/confirm/[A-Za-z0-9_-]{43}\?lang=fr)",
                     confirmation.get_body(preferencelist=("plain",)).get_content()).group(1)
    browser.get(link)
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait_for(browser, lambda d: "Vous êtes abonné(e)" in d.page_source, "the subscription")

    # The secretariat writes once in both languages: preview, then send.
    sign_in_editor(browser, server, "lists-writer@example.org", "Wren Writer")
    browser.get(url + "/lists/newsletter/compose?lang=en")
    fill(browser, {"subject_en": "The annual meeting's agenda", "subject_fr": "L’ordre du jour de la réunion annuelle",
                   "body_en": "1. Opening\n2. Needs of the networks", "body_fr": "1. Ouverture\n2. Besoins des réseaux"})
    browser.find_element(By.CSS_SELECTOR, "button[name='step'][value='preview']").click()
    wait_for(browser, lambda d: "As recipients will read it" in d.page_source, "the preview")
    accessible(browser)
    browser.find_element(By.CSS_SELECTOR, "button[name='step'][value='send']").click()
    wait_for(browser, lambda d: "sent=1" in d.current_url, "the message sent")

    message = mail_to(server["data"], "lecteur@example.org", "ordre du jour")
    assert message["Content-Language"] == "fr"
    assert message["List-Id"] == '"Lettre de Liaison" <newsletter.lists.127.0.0.1>'
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = re.fullmatch(r"<(http://127\.0\.0\.1:\d+/lists/unsubscribe/[A-Za-z0-9_-]{43})>", message["List-Unsubscribe"]).group(1)
    assert "Besoins des réseaux" in message.get_body(preferencelist=("plain",)).get_content()

    # The reader's mail server sends the message back: the mail server's pipe hands the report to Liaison.
    bounced = mail_bounce(server, delivery_report(message))
    assert bounced.returncode == 0, bounced.stderr
    assert b"hard bounce, status 5.1.1 on the list newsletter; 1 of 3" in bounced.stderr
    assert b"lecteur@" not in bounced.stderr  # what goes to the mail server's log names no address
    refused = mail_bounce(server, b"From: someone@example.org\r\nSubject: out of office\r\n\r\nAway.\r\n")
    assert refused.returncode == 65 and b"RFC 3464" in refused.stderr

    # The mail program leaves the list: a POST with RFC 8058's body, no cookie, no form token.
    request = urllib.request.Request(unsubscribe, data=b"List-Unsubscribe=One-Click", method="POST",
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200
    # The next message does not go to the reader.
    browser.get(url + "/lists/newsletter/compose?lang=en")
    fill(browser, {"subject_en": "Second", "body_en": "Second message."})
    browser.find_element(By.CSS_SELECTOR, "button[name='step'][value='send']").click()
    wait_for(browser, lambda d: "sent=0" in d.current_url, "nobody left to send to")
    browser.delete_all_cookies()  # the tests that follow start as a visitor


def mails_about(data, containing, recipients, timeout=90):
    """The message about `containing` to each of `recipients`, as the running server delivered them, read in one pass
    over the mail folder each time."""
    deadline = time.time() + timeout
    found = {}
    while time.time() < deadline:
        for path in sorted(glob.glob(os.path.join(data, "mail", "*.eml"))):
            with open(path, "rb") as handle:
                message = email.message_from_bytes(handle.read(), policy=email.policy.default)
            if message["To"] in recipients and message["To"] not in found and containing in str(message["Subject"]):
                found[message["To"]] = message
        if len(found) == len(recipients):
            return found
        time.sleep(0.5)
    raise AssertionError(f"no mail about {containing} within {timeout} s to {sorted(set(recipients) - set(found))}")


def test_done_when_the_secretariat_holds_the_annual_meeting_of_every_network(browser, server):
    """The issue's "Done when", as a new user would try it: the annual meeting online in Strasbourg's time, every
    network's focal point invited in one step, the answers network by network, the agenda to a mailing list, and a
    participant adding the meeting to a calendar from the mail."""
    url = server["url"]
    export = subprocess.run([server["binary"], "export", "--data-dir", server["data"], "--format", "jsonl"],
                            capture_output=True, text=True, timeout=60)
    networks = [json.loads(line) for line in export.stdout.splitlines()]
    assert len(networks) == 40
    active = [n for n in networks if (n["status"]["value"] if isinstance(n["status"], dict) else n["status"]) == "active"]
    # Each of the 40 networks has a focal point (every other one writing in French).
    focal = {}
    for network in networks:
        french = network in active and active.index(network) % 2 == 1
        address = f"leader-{network['slug']}@example.org"
        created = subprocess.run([server["binary"], "user", "create", "--data-dir", server["data"], "--email", address,
                                  "--name", f"Leader of {network['slug']}", "--role", "focal_point", "--network", network["slug"],
                                  "--language", "fr" if french else "en", "--password-stdin"],
                                 input=PASSWORD + "\n", capture_output=True, text=True, timeout=60)
        assert created.returncode == 0, created.stderr
        focal[network["slug"]] = address

    # The secretariat sets up the annual meeting, online, in Strasbourg's time.
    sign_in_editor(browser, server, "annual-organiser@example.org", "Ada Annual")
    browser.get(url + "/meetings/new?lang=en")
    fill(browser, {"title_en": "Annual meeting of network leaders 2029", "title_fr": "Réunion annuelle des responsables 2029",
                   "kind": "leaders-meeting", "format": "online", "time_zone": "Europe/Paris", "series": "annual-meeting",
                   "conference_url": "https://meet.example.org/leaders-2029", "agenda_en": "1. Opening\n2. Needs of the networks"})
    set_value(browser, "starts", "2029-03-15T09:30")
    set_value(browser, "ends", "2029-03-15T17:00")
    submit(browser, "/meetings/new")
    wait_for(browser, lambda d: "saved=1" in d.current_url, "the saved meeting")
    path = urllib.parse.urlparse(browser.current_url).path

    # Every network's focal point, in one step: the active networks' people, not the defunct ones'.
    browser.get(url + path + "/invitations?lang=en")
    browser.find_element(By.ID, "audience-every").click()
    submit(browser, path + "/invite")
    wait_for(browser, lambda d: "invited=" in d.current_url, "the invitations sent")
    invitations = mails_about(server["data"], "2029", [focal[n["slug"]] for n in active])
    assert len(invitations) == len(active) and len(active) >= 30
    # At least the active networks' focal points (earlier tests made others, also invited).
    invited = int(re.search(r"invited=(\d+)", browser.current_url).group(1))
    assert invited >= len(active), (invited, len(active))
    french = invitations[focal[active[1]["slug"]]]
    assert french["Content-Language"] == "fr" and "Oui, je participerai" in french.get_body(preferencelist=("plain",)).get_content()

    # Two leaders accept from their mail, one declines.
    answers = [(active[0]["slug"], "yes"), (active[1]["slug"], "yes"), (active[2]["slug"], "no")]
    organiser = browser.get_cookies()
    browser.delete_all_cookies()
    for slug, answer in answers:
        text = invitations[focal[slug]].get_body(preferencelist=("plain",)).get_content()
        link = re.search(r"(http://127\.0\.0\.1:\d+/meetings/answer/[A-Za-z0-9_-]{43}\?answer=" + answer + r"&lang=(en|fr))", text).group(1)
        browser.get(link)
        browser.find_element(By.CSS_SELECTOR, f"button[name='answer'][value='{answer}']").click()
        expected = {"yes": ("You are registered.", "Vous êtes inscrit(e)."), "no": ("you will not take part", "vous ne participerez pas")}[answer]
        wait_for(browser, lambda d: any(text in d.page_source for text in expected), "the answer")

    # The organiser sees the answers network by network, and which networks have no one coming.
    browser.delete_all_cookies()
    for cookie in organiser:
        browser.add_cookie(cookie)
    browser.get(url + path + "/invitations?lang=en")
    accessible(browser)
    page = browser.page_source
    assert f"{invited} invited: 2 registered, 0 waiting, 1 declined, {invited - 3} without an answer." in page
    nobody = [item.text for item in browser.find_elements(By.CSS_SELECTOR, "section[aria-labelledby='nobody-heading'] li")]
    registered = {slug for slug, answer in answers if answer == "yes"}
    # Each name listed as often as it names active networks with no one registered (the 2017 catalogue has names twice).
    def named(text, network):
        return text == network["name"] or text.startswith(network["name"] + " (")
    for network in active:
        expected = sum(1 for other in active if other["name"] == network["name"] and other["slug"] not in registered)
        assert sum(1 for text in nobody if named(text, network)) == expected, (network["slug"], nobody)
    assert len(nobody) == len(active) - 2

    # The agenda goes to a list of the focal points of every network, each in their language.
    browser.get(url + "/lists/new?lang=en")
    fill(browser, {"slug": "leaders", "title_en": "Network leaders", "title_fr": "Responsables des réseaux"})
    browser.find_element(By.ID, "audience-every").click()
    submit(browser, "/lists/new")
    wait_for(browser, lambda d: d.current_url.endswith("/lists/leaders"), "the new list")
    browser.get(url + "/lists/leaders/compose?lang=en")
    fill(browser, {"subject_en": "Agenda of the annual meeting 2029", "subject_fr": "Ordre du jour de la réunion annuelle 2029",
                   "body_en": "1. Opening\n2. Needs of the networks", "body_fr": "1. Ouverture\n2. Besoins des réseaux"})
    browser.find_element(By.CSS_SELECTOR, "button[name='step'][value='send']").click()
    wait_for(browser, lambda d: "sent=" in d.current_url, "the agenda sent")
    french = mails_about(server["data"], "Ordre du jour", [focal[active[1]["slug"]]])[focal[active[1]["slug"]]]
    assert str(french["List-Id"]) == "Responsables des réseaux <leaders.lists.127.0.0.1>"  # the encoded words decoded
    assert "Besoins des réseaux" in french.get_body(preferencelist=("plain",)).get_content()
    english = mails_about(server["data"], "Agenda of the annual", [focal[active[0]["slug"]]])[focal[active[0]["slug"]]]
    assert english["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # A participant adds the meeting to their calendar from the mail: the calendar inline beside the text, read by a
    # real iCalendar parser, at 09:30 in Strasbourg (08:30 UTC in March), with the link to the meeting.
    place = mails_about(server["data"], "place", [focal[active[0]["slug"]]])[focal[active[0]["slug"]]]
    alternative = next(part for part in place.walk() if part.get_content_type() == "multipart/alternative")
    calendar_part = next(part for part in alternative.iter_parts() if part.get_content_type() == "text/calendar")
    assert calendar_part.get_content_disposition() is None and calendar_part.get_param("method") == "REQUEST"
    event = icalendar.Calendar.from_ical(calendar_part.get_content()).walk("VEVENT")[0]
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    assert event["DTSTART"].dt.astimezone(datetime.timezone.utc) == datetime.datetime(2029, 3, 15, 8, 30, tzinfo=datetime.timezone.utc)
    assert str(event["URL"]).endswith(path) and "leaders-2029" in str(event.get("LOCATION", "")) + str(event.get("DESCRIPTION", ""))
    browser.delete_all_cookies()  # the tests that follow start as a visitor
