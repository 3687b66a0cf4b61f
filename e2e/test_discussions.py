"""Discussions in Chromium: a question in CARIN's space, a colleague's answer by replying to the notification mail
(piped to `liaison mail receive`, as a mail server would), and what a visitor sees: nothing."""
import email
import email.policy
import glob
import os
import subprocess
import time
import urllib.parse
from email.message import EmailMessage

from selenium.webdriver.common.by import By

from test_accounts import accessible, fill, submit, wait_for
from test_library import create, sign_in


def mail_about(data, recipient, containing, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        for path in sorted(glob.glob(os.path.join(data, "mail", "*.eml"))):
            with open(path, "rb") as handle:
                message = email.message_from_bytes(handle.read(), policy=email.policy.default)
            if message["To"] == recipient and containing in str(message["Subject"]):
                return message
        time.sleep(0.5)
    raise AssertionError(f"no mail to {recipient} about {containing}")


def test_a_question_is_answered_by_replying_to_the_mail(browser, server):
    url = server["url"]
    create(server, "talk-ann@example.org", "practitioner", "carin")
    create(server, "talk-ben@example.org", "focal_point", "carin")

    # Ben follows CARIN's space, each message by mail.
    sign_in(browser, url, "talk-ben@example.org")
    browser.get(url + "/discussions/carin?lang=en")
    accessible(browser)
    browser.find_element(By.ID, "mode-each").click()
    submit(browser, "/discussions/carin/follow")
    wait_for(browser, lambda d: "each message" in d.page_source, "following")

    # Ann asks.
    sign_in(browser, url, "talk-ann@example.org")
    browser.get(url + "/discussions/carin?lang=en")
    fill(browser, {"title": "Tracing a yacht", "body": "Who knows the **registry** of Malta?"})
    submit(browser, "/discussions/carin/threads")
    wait_for(browser, lambda d: "/discussions/threads/" in d.current_url, "the thread")
    thread = urllib.parse.urlparse(browser.current_url).path
    assert browser.find_element(By.CSS_SELECTOR, ".post .prose strong").text == "registry"
    accessible(browser)

    # Ben answers by replying to the notification; the mail server pipes the reply to Liaison.
    notification = mail_about(server["data"], "talk-ben@example.org", "Tracing a yacht")
    reply = EmailMessage()
    reply["From"] = "Ben <talk-ben@example.org>"
    reply["To"] = notification["Reply-To"]
    reply["Subject"] = "Re: " + str(notification["Subject"])
    reply.set_content("Ask Malta's ship registry first.\n\nOn Mon, 7 Dec 2026, Liaison wrote:\n> Who knows the registry of Malta?\n\n-- \nBen\n")
    received = subprocess.run([server["binary"], "mail", "receive", "--data-dir", server["data"], "--public-url", url],
                              input=reply.as_bytes(), capture_output=True, timeout=60)
    assert received.returncode == 0 and b"posted as message" in received.stderr, received.stderr
    # A stranger's message to no reply address names no account: exit 67, and the mail server returns it.
    stranger = EmailMessage()
    stranger["From"] = "someone@example.net"
    stranger["To"] = "reply+1.1.1.00000000000000000000000000000000@example.org"
    stranger["Subject"] = "Hello"
    stranger.set_content("Hello.\n")
    refused = subprocess.run([server["binary"], "mail", "receive", "--data-dir", server["data"], "--public-url", url],
                             input=stranger.as_bytes(), capture_output=True, timeout=60)
    assert refused.returncode == 67 and b"names no account" in refused.stderr, refused.stderr
    assert b"someone@" not in refused.stderr
    browser.get(url + thread + "?lang=en")
    posts = browser.find_elements(By.CSS_SELECTOR, ".post .prose")
    assert [post.text for post in posts] == ["Who knows the registry of Malta?", "Ask Malta's ship registry first."]
    assert "by mail" in browser.page_source

    # A visitor is sent to sign in; nothing of it on the public pages.
    browser.delete_all_cookies()
    browser.get(url + thread)
    assert "/sign-in" in browser.current_url and "Tracing a yacht" not in browser.page_source


def test_done_when_carins_people_share_a_guide_and_discuss_it_and_a_visitor_sees_none(browser, server):
    """The issue's "Done when": CARIN's focal point uploads a guide on asset tracing for CARIN's people, a practitioner
    of CARIN finds it by a word of its third page, asks a question in CARIN's space, a colleague answers by replying to
    the notification mail, and a visitor sees none of it."""
    import tempfile
    from test_library import pdf
    url = server["url"]
    create(server, "done-carin-fp@example.org", "focal_point", "carin")
    create(server, "done-carin-pr@example.org", "practitioner", "carin")
    create(server, "done-carin-colleague@example.org", "practitioner", "carin")

    # The colleague follows CARIN's space.
    sign_in(browser, url, "done-carin-colleague@example.org")
    browser.get(url + "/discussions/carin?lang=en")
    browser.find_element(By.ID, "mode-each").click()
    submit(browser, "/discussions/carin/follow")
    wait_for(browser, lambda d: "each message" in d.page_source, "following")

    # CARIN's focal point uploads the guide for CARIN's people.
    sign_in(browser, url, "done-carin-fp@example.org")
    browser.get(url + "/library/new?lang=en")
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "tracing.pdf")
        with open(path, "wb") as handle:
            handle.write(pdf(["Asset tracing", "Company registers", "Page three: trusts and foundations in offshore centres"]))
        browser.find_element(By.ID, "file").send_keys(path)
        fill(browser, {"title_en": "Guide to tracing assets abroad"})
        browser.find_element(By.ID, "visibility-networks").click()
        submit(browser, "/library/new")
        wait_for(browser, lambda d: "saved=1" in d.current_url, "the guide saved")
    document = urllib.parse.urlparse(browser.current_url).path

    # A practitioner of CARIN finds it by a word of its third page, and asks about it in CARIN's space.
    sign_in(browser, url, "done-carin-pr@example.org")
    browser.get(url + "/library?q=foundations&lang=en")
    assert browser.find_element(By.LINK_TEXT, "Guide to tracing assets abroad").get_attribute("href").endswith(document)
    browser.get(url + "/discussions/carin?lang=en")
    fill(browser, {"title": "Foundations in the guide", "body": "Does page three cover Liechtenstein?",
                   "attachments": document})
    submit(browser, "/discussions/carin/threads")
    wait_for(browser, lambda d: "/discussions/threads/" in d.current_url, "the question")
    thread = urllib.parse.urlparse(browser.current_url).path
    assert browser.find_element(By.LINK_TEXT, "Guide to tracing assets abroad")
    accessible(browser)

    # The colleague answers by replying to the notification.
    notification = mail_about(server["data"], "done-carin-colleague@example.org", "Foundations in the guide")
    reply = EmailMessage()
    reply["From"] = "done-carin-colleague@example.org"
    reply["To"] = notification["Reply-To"]
    reply["Subject"] = "Re: " + str(notification["Subject"])
    reply.set_content("Yes, from the second paragraph.\n\n> Does page three cover Liechtenstein?\n")
    received = subprocess.run([server["binary"], "mail", "receive", "--data-dir", server["data"], "--public-url", url],
                              input=reply.as_bytes(), capture_output=True, timeout=60)
    assert received.returncode == 0 and b"posted as message" in received.stderr, received.stderr
    browser.get(url + thread + "?lang=en")
    assert "Yes, from the second paragraph." in browser.page_source

    # A visitor sees none of it.
    browser.delete_all_cookies()
    browser.get(url + "/library?q=foundations&lang=en")
    assert "Guide to tracing" not in browser.page_source
    for address in (document, thread, "/discussions/carin"):
        browser.get(url + address)
        assert "Guide to tracing" not in browser.page_source and "Foundations in the guide" not in browser.page_source
    browser.get_log("browser")  # the 404 of the document's page for a visitor was expected; the next test starts clean
