"""The library in Chromium: CARIN's focal point uploads a guide on asset tracing for CARIN's people, a practitioner of
CARIN finds it by a word of its third page, and a visitor sees none of it."""
import os
import subprocess
import tempfile
import urllib.error
import urllib.parse
import urllib.request

from selenium.webdriver.common.by import By

from test_accounts import PASSWORD, accessible, fill, submit, wait_for


def pdf(pages):
    """A real PDF of one line of text a page (what pdftotext reads), written by hand: objects, their offsets, a trailer."""
    objects = {1: "<< /Type /Catalog /Pages 2 0 R >>", 3: "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"}
    kids = []
    for index, text in enumerate(pages):
        page, content = 4 + index * 2, 5 + index * 2
        kids.append(f"{page} 0 R")
        stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET"
        objects[page] = f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents {content} 0 R >>"
        objects[content] = f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream"
    objects[2] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(pages)} >>"
    out = "%PDF-1.4\n"
    offsets = []
    for number in sorted(objects):
        offsets.append(len(out.encode()))
        out += f"{number} 0 obj\n{objects[number]}\nendobj\n"
    xref = len(out.encode())
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n" + "".join(f"{offset:010d} 00000 n \n" for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    return out.encode()


def create(server, email, role, network):
    done = subprocess.run([server["binary"], "user", "create", "--data-dir", server["data"], "--email", email, "--name", email.split("@")[0],
                           "--role", role, "--network", network, "--password-stdin"],
                          input=PASSWORD + "\n", capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def sign_in(browser, url, email):
    browser.delete_all_cookies()
    browser.get(url + "/sign-in?lang=en")
    fill(browser, {"email": email, "password": PASSWORD})
    submit(browser, "/sign-in")
    wait_for(browser, lambda d: "/sign-in" not in d.current_url, "signed in")


def test_carins_guide_is_found_by_a_word_of_its_third_page_by_carins_people_alone(browser, server):
    url = server["url"]
    create(server, "library-carin-fp@example.org", "focal_point", "carin")
    create(server, "library-carin-practitioner@example.org", "practitioner", "carin")

    # CARIN's focal point uploads the guide, for CARIN's people only.
    sign_in(browser, url, "library-carin-fp@example.org")
    browser.get(url + "/library/new?lang=en")
    accessible(browser)
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "asset-tracing-guide.pdf")
        with open(path, "wb") as handle:
            handle.write(pdf(["Asset tracing: a practical guide", "Chapter two: bank records",
                              "Chapter three: beneficial ownership registers and nominee structures"]))
        browser.find_element(By.ID, "file").send_keys(path)
        fill(browser, {"title_en": "Asset tracing guide", "title_fr": "Guide du dépistage des avoirs", "countries": "GH"})
        browser.find_element(By.ID, "visibility-networks").click()
        submit(browser, "/library/new")
        wait_for(browser, lambda d: "saved=1" in d.current_url, "the document saved")
    document = urllib.parse.urlparse(browser.current_url).path
    assert "The people of CARIN only" in browser.page_source
    accessible(browser)

    # A practitioner of CARIN finds it by a word of its third page, and downloads it.
    sign_in(browser, url, "library-carin-practitioner@example.org")
    browser.get(url + "/library?q=nominee&lang=en")
    accessible(browser)
    link = browser.find_element(By.LINK_TEXT, "Asset tracing guide")
    assert link.get_attribute("href").endswith(document)
    assert "nominee" in browser.find_element(By.CSS_SELECTOR, ".snippet mark").text
    browser.get(url + "/library?q=nominee&lang=fr")
    assert "Guide du dépistage des avoirs" in browser.page_source
    accessible(browser)

    # A visitor sees none of it: not in a search, not on CARIN's page, not its page or file.
    browser.delete_all_cookies()
    browser.get(url + "/library?q=nominee&lang=en")
    assert "Asset tracing" not in browser.page_source and "0 documents" in browser.page_source
    browser.get(url + "/networks/carin?lang=en")
    assert "Asset tracing" not in browser.page_source
    for address in (url + document, url + document + "/file"):
        try:
            urllib.request.urlopen(address, timeout=10)
            raise AssertionError(f"{address} answered a visitor")
        except urllib.error.HTTPError as error:
            assert error.code == 404
