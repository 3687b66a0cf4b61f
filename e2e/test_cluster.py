"""Two `liaison serve` processes on one PostgreSQL database: an edit saved through the first is served by the second
within a second (the notice its transaction sends; the second's own look comes only every ten seconds).

Needs LIAISON_TEST_POSTGRES_URL (CI starts a server and sets it); skipped without one."""
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid

import pytest

from conftest import free_port, wait_ready

# The form helpers bench/save.py drives the edit form with.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "bench"))
from save import fetch, form_fields, opener  # noqa: E402

PASSWORD = "two instances passphrase"


def revision(url):
    with urllib.request.urlopen(url + "/api/v1/changes?since=999999999&limit=1", timeout=10) as response:
        return json.load(response)["revision"]


@pytest.fixture()
def cluster(server):
    admin = os.environ.get("LIAISON_TEST_POSTGRES_URL")
    if not admin:
        pytest.skip("needs LIAISON_TEST_POSTGRES_URL")
    name = "liaison_e2e_" + uuid.uuid4().hex[:12]
    parts = urllib.parse.urlsplit(admin)
    database = urllib.parse.urlunsplit(parts._replace(path="/" + name))
    subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {name}"], check=True, capture_output=True)
    binary = server["binary"]
    subprocess.run([binary, "migrate", "--database-url", database], check=True, capture_output=True)
    subprocess.run([binary, "user", "create", "--database-url", database, "--email", "two@example.org", "--name", "Two",
                    "--role", "focal_point", "--network", "carin", "--password-stdin"],
                   input=PASSWORD.encode(), check=True, capture_output=True)
    folder = tempfile.mkdtemp(prefix="liaison-cluster-")
    processes, urls = [], []
    for i in range(2):
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        log = open(os.path.join(folder, f"serve-{i}.log"), "w")
        processes.append(subprocess.Popen([binary, "serve", "--database-url", database, "--port", str(port), "--public-url", url,
                                           "--no-link-checks", "--data-dir", folder], stdout=log, stderr=log))
        urls.append(url)
    try:
        for i, url in enumerate(urls):
            wait_ready(url, os.path.join(folder, f"serve-{i}.log"))
        yield urls
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=10)
        subprocess.run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], capture_output=True)


def test_an_edit_through_one_instance_is_served_by_the_other_within_a_second(cluster):
    one, two = cluster
    client = opener()
    status, _, page = fetch(client, one + "/sign-in")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    status, _, _ = fetch(client, one + "/sign-in", {"email": "two@example.org", "password": PASSWORD, "csrf_token": token})
    assert status == 303
    time.sleep(1)  # past the second instance's first look
    waits = []
    for i in range(5):
        before = revision(two)
        status, _, page = fetch(client, f"{one}/networks/carin/edit")
        assert status == 200
        fields = [(n, v) for n, v in form_fields(page) if n not in ("notes", "reason")]
        fields += [("notes", f"edit {i} through the first instance"), ("reason", "two instances")]
        status, _, page = fetch(client, f"{one}/networks/carin/edit", fields)
        assert status == 303, page[:500]
        saved = time.perf_counter()
        while revision(two) <= before and time.perf_counter() - saved < 12:
            time.sleep(0.01)
        waits.append(time.perf_counter() - saved)
        # The second instance's change feed gives the network as the edit left it.
        with urllib.request.urlopen(f"{two}/api/v1/changes?since={before}", timeout=10) as response:
            assert f"edit {i} through the first instance" in response.read().decode()
        time.sleep(0.3)
    assert max(waits) <= 1.0, f"seconds until the second instance served each edit: {waits}"
