"""The catalogue in French (issue 19's "Done when", its last part): a French-speaking user searches « réseau
judiciaire européen » and lands on the EJN, named and described in French; every network with a French name is found
by it, with and without its accents."""
import json
import subprocess
import unicodedata
import urllib.parse
import urllib.request

from selenium.webdriver.common.by import By

from test_accounts import accessible, wait_for


def get(url):
    with urllib.request.urlopen(url, timeout=60) as response:
        return response.read().decode("utf-8")


def without_accents(text):
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


def test_a_french_speaker_searches_the_ejn_by_its_french_name_and_reads_it_in_french(browser, server):
    url = server["url"]
    browser.get(url + "/networks?lang=fr")
    box = browser.find_element(By.ID, "q")
    box.send_keys("réseau judiciaire européen")
    box.submit()
    wait_for(browser, lambda d: "q=" in d.current_url, "the results")
    first = browser.find_element(By.CSS_SELECTOR, "section.results ol.networks li a")
    assert first.get_attribute("href").endswith("/networks/ejn"), first.get_attribute("href")
    first.click()
    wait_for(browser, lambda d: d.current_url.split("?")[0].endswith("/networks/ejn"), "the EJN's page")
    heading = browser.find_element(By.TAG_NAME, "h1")
    assert heading.text.startswith("Réseau judiciaire européen")
    purpose = browser.find_element(By.CSS_SELECTOR, "section[aria-labelledby='purpose'] div[lang='fr']").text
    assert "réseau" in purpose.lower() and "coopération judiciaire" in purpose
    assert "traduction écrite pour Liaison" in browser.page_source
    accessible(browser)


def test_every_french_name_finds_its_network_with_and_without_accents(server):
    url = server["url"]
    slugs = [item["slug"] for item in json.loads(get(url + "/api/v1/networks?per_page=100"))["items"]]
    assert len(slugs) >= 39
    missed, checked = [], 0
    for slug in slugs:
        name = json.loads(get(url + f"/api/v1/networks/{slug}")).get("name_fr")
        if not name:
            continue
        checked += 1
        for query in {name, without_accents(name)}:
            found = json.loads(get(url + "/api/v1/networks?per_page=2&q=" + urllib.parse.quote(query)))["items"]
            if slug not in [item["slug"] for item in found]:
                missed.append((slug, query, [item["slug"] for item in found]))
    assert missed == [], missed
    assert checked >= 39, f"only {checked} networks have a French name"


def test_the_french_texts_command_finds_a_new_database_complete(server):
    added = subprocess.run([server["binary"], "add-french", "--data-dir", server["data"]], capture_output=True, text=True, timeout=120)
    assert added.returncode == 0, added.stderr
    output = added.stderr + added.stdout
    assert "French texts added to 0 networks" in output and "networks: 40 of 40 (100 %)" in output, output
