"""Times saves of a network's edit form against a running `liaison serve`, as a focal point does them.

Usage: save.py BASE_URL SLUG EMAIL PASSWORD [COUNT] [FIELD]
Signs in, then COUNT times: opens /networks/SLUG/edit, changes FIELD (`notes`, the default, or `name`: a name
changes the name order and the search index), sends the form and times the answer
(the save's transaction and the swap of the next snapshot, until the redirect comes back). Prints one line:
`saves=N median_ms=… min_ms=… max_ms=…`."""
import html
import http.cookiejar
import re
import statistics
import sys
import time
import urllib.parse
import urllib.request


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def opener():
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)


def fetch(client, url, fields=None):
    data = urllib.parse.urlencode(fields, doseq=True).encode() if fields is not None else None
    request = urllib.request.Request(url, data=data)
    try:
        with client.open(request, timeout=600) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:  # 303 (not followed) and refusals
        return error.code, error.headers, error.read().decode()


def form_fields(page):
    """The values a browser would send back: text inputs, text areas, chosen options, checked boxes, hidden ones."""
    fields = []
    for name, value in re.findall(r'<input (?:id="[^"]*" )?name="([^"]+)" type="(?:text|hidden)" value="([^"]*)"', page):
        fields.append((name, html.unescape(value)))
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page):
        fields.append((name, html.unescape(value)))
    for name, value in re.findall(r'<textarea id="[^"]*" name="([^"]+)"[^>]*>([^<]*)</textarea>', page):
        fields.append((name, html.unescape(value)))
    for name, options in re.findall(r'<select id="[^"]*" name="([^"]+)">(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected>', options)
        if chosen:
            fields.append((name, chosen.group(1)))
    # Each field once (the page's other forms, such as signing out, carry the same token).
    seen = set()
    fields = [(name, value) for name, value in fields if not (name in seen or seen.add(name))]
    for name, value in re.findall(r'<input type="checkbox" name="([^"]+)" value="([^"]*)" checked>', page):
        fields.append((name, value))
    return fields


def main():
    base, slug, email, password = sys.argv[1:5]
    count = int(sys.argv[5]) if len(sys.argv) > 5 else 5
    field = sys.argv[6] if len(sys.argv) > 6 else "notes"
    client = opener()
    status, _, page = fetch(client, base + "/sign-in")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    status, headers, _ = fetch(client, base + "/sign-in", {"email": email, "password": password, "csrf_token": token})
    assert status == 303, f"sign-in: {status}"
    times = []
    for i in range(count):
        status, _, page = fetch(client, f"{base}/networks/{slug}/edit")
        assert status == 200, f"edit form: {status}"
        fields = [(name, value) for name, value in form_fields(page) if name not in (field, "reason")]
        fields += [(field, f"bench edit {i} at {time.time()}"), ("reason", "bench: save latency")]
        start = time.perf_counter()
        status, headers, page = fetch(client, f"{base}/networks/{slug}/edit", fields)
        times.append((time.perf_counter() - start) * 1000)
        assert status == 303, f"save {i}: {status} {page[:2000]}"
    print(f"field={field} saves={count} median_ms={statistics.median(times):.1f} min_ms={min(times):.1f} max_ms={max(times):.1f}")


if __name__ == "__main__":
    main()
