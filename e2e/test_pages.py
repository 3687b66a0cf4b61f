"""Every page type, in English and French: it renders, it logs no console error, and axe finds no
serious or critical accessibility violation. Then the main path a practitioner takes."""
import pytest
from axe_selenium_python import Axe
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import texts_outside_pictures


def wait_for_url(browser, fragment):
    WebDriverWait(browser, 10).until(lambda driver: fragment in driver.current_url)

PAGES = ["/", "/networks", "/networks?crime_area=cybercrime", "/networks/carin", "/networks/eurojust",
         "/countries", "/countries/HR", "/organisations/europol", "/about", "/no/such/page",
         "/networks?q=asset+recovery", "/finder", "/finder?from=ES&to=GH", "/finder?from=HR&to=RS", "/overlaps", "/statistics",
         "/networks/carin/history", "/changes", "/sign-in", "/password-reset", "/propose", "/networks/carin/propose",
         "/networks/carin/report", "/finder?from=ES&to=GH&to=BR", "/contact", "/data", "/networks/gpen"]


def console_errors(browser):
    return [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"
            and "/no/such/page" not in entry["message"]]


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("path", PAGES)
def test_page_is_accessible(browser, base_url, path, lang):
    separator = "&" if "?" in path else "?"
    browser.get(base_url + path + separator + "lang=" + lang)
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == lang
    heading = browser.find_element(By.TAG_NAME, "h1").text.strip()
    assert heading
    # Only the page that does not exist may answer with an error page.
    error_headings = {"Page not found", "Page introuvable", "The request cannot be answered", "La demande ne peut pas aboutir",
                      "Something went wrong", "Une erreur s’est produite"}
    assert (heading in error_headings) == (path == "/no/such/page"), heading
    assert console_errors(browser) == []
    # Every text of every picture lies inside it, as the browser lays it out (nothing cut at an edge).
    assert texts_outside_pictures(browser) == []
    axe = Axe(browser)
    axe.inject()
    results = axe.run()
    serious = [v for v in results["violations"] if v.get("impact") in ("serious", "critical")]
    assert serious == [], axe.report(serious)


@pytest.mark.parametrize("lang,search,role_heading,country", [
    ("en", "asset", "Observers", "Croatia"),
    ("fr", "asset", "Observateurs", "Croatie"),
])
def test_search_list_network_country(browser, base_url, lang, search, role_heading, country):
    browser.get(f"{base_url}/?lang={lang}")
    box = browser.find_element(By.ID, "q")
    box.send_keys(search)
    box.submit()
    wait_for_url(browser, "/networks?q=")
    browser.find_element(By.CSS_SELECTOR, "a[href='/networks/carin']").click()
    wait_for_url(browser, "/networks/carin")
    assert role_heading in browser.page_source
    browser.find_element(By.LINK_TEXT, country).click()
    wait_for_url(browser, "/countries/HR")
    assert "CARIN" in browser.page_source or "Camden" in browser.page_source
    assert console_errors(browser) == []


def test_language_switcher_sets_the_language(browser, base_url):
    browser.delete_all_cookies()
    browser.get(base_url + "/about?lang=en")
    browser.find_element(By.CSS_SELECTOR, "a.lang").click()
    wait_for_url(browser, "lang=fr")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr"
    browser.get(base_url + "/networks")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr"


def test_facets_narrow_the_list(browser, base_url):
    browser.get(base_url + "/networks?lang=en")
    browser.find_element(By.PARTIAL_LINK_TEXT, "cybercrime").click()
    wait_for_url(browser, "crime_area=cybercrime")
    assert "5 networks found" in browser.page_source


def test_case_finder_form(browser, base_url):
    from selenium.webdriver.support.ui import Select
    browser.get(base_url + "/finder?lang=en")
    Select(browser.find_element(By.ID, "from")).select_by_value("ES")
    Select(browser.find_element(By.ID, "to")).select_by_value("GH")
    browser.find_element(By.CSS_SELECTOR, "form.finder button").click()
    wait_for_url(browser, "from=ES")
    assert "No single network of the catalogue connects Spain, Ghana" in browser.page_source
    assert "A plan: 2 networks that together cover Spain, Ghana" in browser.page_source
    assert console_errors(browser) == []
    # Shared, the link opens the same answer; printed, the answer without the form.
    shared = browser.find_element(By.LINK_TEXT, "link to this answer").get_attribute("href")
    browser.get(shared)
    assert "A plan: 2 networks that together cover Spain, Ghana" in browser.page_source
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert not browser.find_element(By.CSS_SELECTOR, "form.finder").is_displayed()
        assert browser.find_element(By.CSS_SELECTOR, "ol.plan").is_displayed()
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_no_page_scrolls_sideways_on_a_phone(browser, base_url, lang):
    """At 390 pixels (a phone), every page type fits the screen's width: wide tables scroll in place, long names wrap."""
    browser.set_window_size(390, 844)
    try:
        wide = []
        for path in PAGES:
            separator = "&" if "?" in path else "?"
            browser.get(base_url + path + separator + "lang=" + lang)
            scroll, client = browser.execute_script(
                "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            if scroll > client:
                wide.append(f"{path}: {scroll} > {client}")
        assert wide == [], wide
        # The results of a search come before its filters.
        browser.get(base_url + "/networks?q=asset+recovery&lang=" + lang)
        results = browser.find_element(By.ID, "results-heading").location["y"]
        filters = browser.find_element(By.ID, "facets-heading").location["y"]
        assert results < filters
    finally:
        browser.set_window_size(1280, 1000)
