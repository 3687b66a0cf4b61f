#!/usr/bin/env python3
"""Signs in to a Liaison server as a practitioner and sets up a second factor, as a person would in a browser;
prints the Cookie header that carries the session (for wrk's -H).

Usage: session.py URL EMAIL PASSWORD
"""
import base64, hashlib, hmac, html, http.cookiejar, re, struct, sys, time, urllib.parse, urllib.request


def totp(secret):
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", int(time.time() // 30)), hashlib.sha1).digest()
    offset = digest[-1] & 15
    return "%06d" % ((struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1000000)


def main():
    url, email, password = sys.argv[1:4]
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def page(path, form=None):
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        with opener.open(url + path, data) as response:
            return response.read().decode()

    def token(text):
        return re.search(r'name="csrf_token" value="([^"]+)"', text).group(1)

    text = page("/sign-in")
    text = page("/sign-in", {"email": email, "password": password, "csrf_token": token(text)})
    text = page("/account/two-factor")
    link = html.unescape(re.search(r'href="(otpauth://[^"]+)"', text).group(1))
    secret = urllib.parse.parse_qs(urllib.parse.urlparse(link).query)["secret"][0]
    page("/account/two-factor", {"code": totp(secret), "csrf_token": token(text)})
    check = opener.open(url + "/directory")
    if check.status != 200:
        sys.exit("the session cannot read the directory: HTTP %d" % check.status)
    print("; ".join("%s=%s" % (c.name, c.value) for c in jar))


if __name__ == "__main__":
    main()
