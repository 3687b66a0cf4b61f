"""Edits a network through the proxy while wrk reads, and times how long each edit takes to appear on every instance.

Usage: cluster_edit.py PROXY_URL SLUG EMAIL PASSWORD COUNT INSTANCE_URL [INSTANCE_URL ...]
Signs in through the proxy, then COUNT times: reads the catalogue revision of the first instance, saves the network's
edit form through the proxy (notes changed), and polls each instance's /api/v1/changes (which says the revision its
snapshot is at) until it has the new revision. Prints one line per instance:
`instance=URL edits=N median_ms=… max_ms=…` (from the save's answer to the revision seen there)."""
import json
import re
import statistics
import sys
import time
import urllib.request

from save import fetch, form_fields, opener


def revision(url):
    with urllib.request.urlopen(url + "/api/v1/changes?since=999999999&limit=1", timeout=10) as response:
        return json.load(response)["revision"]


def main():
    proxy, slug, email, password, count = sys.argv[1:6]
    instances = sys.argv[6:]
    client = opener()
    status, _, page = fetch(client, proxy + "/sign-in")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    status, _, _ = fetch(client, proxy + "/sign-in", {"email": email, "password": password, "csrf_token": token})
    assert status == 303, f"sign-in: {status}"
    waits = {url: [] for url in instances}
    for i in range(int(count)):
        before = max(revision(url) for url in instances)
        status, _, page = fetch(client, f"{proxy}/networks/{slug}/edit")
        assert status == 200, f"edit form: {status}"
        fields = [(name, value) for name, value in form_fields(page) if name not in ("notes", "reason")]
        fields += [("notes", f"cluster edit {i} at {time.time()}"), ("reason", "bench: cluster")]
        status, _, page = fetch(client, f"{proxy}/networks/{slug}/edit", fields)
        assert status == 303, f"save {i}: {status} {page[:500]}"
        saved = time.perf_counter()
        pending = set(instances)
        while pending:
            for url in list(pending):
                if revision(url) > before:
                    waits[url].append((time.perf_counter() - saved) * 1000)
                    pending.discard(url)
            if time.perf_counter() - saved > 30:
                raise SystemExit(f"edit {i} not seen within 30 s on {sorted(pending)}")
            time.sleep(0.005)
        time.sleep(0.2)
    for url, times in waits.items():
        print(f"instance={url} edits={len(times)} median_ms={statistics.median(times):.1f} max_ms={max(times):.1f}")


if __name__ == "__main__":
    main()
