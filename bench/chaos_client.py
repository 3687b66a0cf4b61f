"""A stream of writes against a server that is killed and restarted under it: edits of a network by its focal point.

Usage: chaos_client.py BASE_URL SLUG EMAIL PASSWORD COUNT ACK_FILE STOP_FILE
Goes on until COUNT edits were acknowledged and STOP_FILE exists.
Each edit sets the network's notes to `chaos N` with the reason `chaos edit N`. An edit whose answer (303) came back is
acknowledged: its number is appended to ACK_FILE and the file is flushed to disk before the next edit. A connection
refused or reset (the server killed) is waited out and the edit tried again with a new number; a 503 (the database
unreachable) likewise, after Retry-After. Prints how many edits were acknowledged, refused with 503, and lost to a
dropped connection."""
import os
import re
import sys
import time
import urllib.error

from save import fetch, form_fields, opener


def main():
    base, slug, email, password, count, ack_path, stop_path = sys.argv[1:8]
    client = None
    acknowledged = unavailable = dropped = 0
    number = 0
    with open(ack_path, "a") as ack:
        while acknowledged < int(count) or not os.path.exists(stop_path):
            number += 1
            try:
                if client is None:
                    client = opener()
                    status, _, page = fetch(client, base + "/sign-in")
                    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
                    status, _, _ = fetch(client, base + "/sign-in", {"email": email, "password": password, "csrf_token": token})
                    if status != 303:
                        client = None
                        time.sleep(0.5)
                        continue
                status, _, page = fetch(client, f"{base}/networks/{slug}/edit")
                if status == 503:
                    unavailable += 1
                    time.sleep(1)
                    continue
                if status != 200:
                    client = None
                    time.sleep(0.2)
                    continue
                fields = [(n, v) for n, v in form_fields(page) if n not in ("notes", "reason")]
                fields += [("notes", f"chaos {number}"), ("reason", f"chaos edit {number}")]
                status, headers, page = fetch(client, f"{base}/networks/{slug}/edit", fields)
                if status == 303:
                    ack.write(f"{number}\n")
                    ack.flush()
                    os.fsync(ack.fileno())
                    acknowledged += 1
                elif status == 503:
                    unavailable += 1
                    time.sleep(int(headers.get("Retry-After", "1")) / 10)
                elif status in (200, 400, 409):
                    pass  # the form shown again (a save that met another's): tried again with a new form
                else:
                    raise SystemExit(f"edit {number}: unexpected {status}: {page[:300]}")
            except (urllib.error.URLError, ConnectionError, OSError):
                dropped += 1
                time.sleep(0.2)
    print(f"acknowledged={acknowledged} unavailable_503={unavailable} dropped_connections={dropped} attempts={number}")


if __name__ == "__main__":
    main()
