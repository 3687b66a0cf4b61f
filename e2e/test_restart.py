"""A server restarted reads the catalogue from its snapshot file and serves every edit acknowledged before it stopped:
stopped gracefully (it writes the file), killed with SIGKILL (the file is behind: the edits since are taken in from the
database), and with the file damaged (it reads the database and writes the file again)."""
import os
import re
import signal
import subprocess
import sys
import shutil
import tempfile
import urllib.request

from conftest import free_port, wait_ready

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "bench"))
from save import fetch, form_fields, opener  # noqa: E402

PASSWORD = "a long and quiet passphrase"


def start(binary, data, log_name):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = os.path.join(data, log_name)
    log = open(log_path, "w")
    process = subprocess.Popen([binary, "serve", "--port", str(port), "--public-url", url, "--no-link-checks", "--data-dir", data],
                               stdout=log, stderr=log)
    wait_ready(url, log_path)
    return process, url, log_path


def edit(url, notes):
    client = opener()
    _, _, page = fetch(client, url + "/sign-in")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    status, _, _ = fetch(client, url + "/sign-in", {"email": "focal@example.org", "password": PASSWORD, "csrf_token": token})
    assert status == 303
    _, _, page = fetch(client, f"{url}/networks/carin/edit")
    fields = [(n, v) for n, v in form_fields(page) if n not in ("notes", "reason")] + [("notes", notes), ("reason", "restart test")]
    status, _, page = fetch(client, f"{url}/networks/carin/edit", fields)
    assert status == 303, page[:500]


def notes(url):
    """What the change feed gives after the 2017 catalogue's 40 revisions: CARIN as the edits left it, notes included."""
    with urllib.request.urlopen(url + "/api/v1/changes?since=40", timeout=10) as response:
        return response.read().decode()


def wait_for(log_path, text, seconds=60):
    import time
    deadline = time.time() + seconds
    while time.time() < deadline:
        if text in open(log_path).read():
            return
        time.sleep(0.1)
    raise AssertionError(f"{text!r} not in {log_path}:\n{open(log_path).read()[-3000:]}")


def test_a_restarted_server_reads_its_snapshot_file_and_serves_every_acknowledged_edit(server):
    binary = server["binary"]
    data = tempfile.mkdtemp(prefix="liaison-restart-")
    started = []

    def launch(log_name):
        process, url, log = start(binary, data, log_name)
        started.append(process)
        return process, url, log

    # Whatever fails, no server is left running and the data folder goes.
    try:
        snapshot = os.path.join(data, "liaison.sqlite.snapshot")
        subprocess.run([binary, "migrate", "--data-dir", data], check=True, capture_output=True)
        subprocess.run([binary, "user", "create", "--data-dir", data, "--email", "focal@example.org", "--name", "Restart",
                        "--role", "focal_point", "--network", "carin", "--password-stdin"],
                       input=PASSWORD.encode(), check=True, capture_output=True)

        # First start: no file (the command that made the account may have written one: removed); the catalogue is read
        # from the database and the file written in the background.
        if os.path.exists(snapshot):
            os.remove(snapshot)
        process, url, log = launch("first.log")
        wait_for(log, "snapshot file written")
        assert "read from the database" in open(log).read()
        edit(url, "saved before a graceful stop")
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0

        # Stopped gracefully: the file holds the edit, and the next start reads it.
        process, url, log = launch("second.log")
        assert "read from the snapshot file in" in open(log).read()
        assert "saved before a graceful stop" in notes(url)
        edit(url, "saved before SIGKILL")
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)

        # Killed: the file is behind by one edit, which the start takes in from the database.
        process, url, log = launch("third.log")
        assert "read from the snapshot file and the edits since" in open(log).read()
        assert "saved before SIGKILL" in notes(url)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0

        # A damaged file is refused (said in the log), the database read, the file written again.
        with open(snapshot, "r+b") as file:
            file.seek(os.path.getsize(snapshot) // 2)
            byte = file.read(1)
            file.seek(-1, os.SEEK_CUR)
            file.write(bytes([byte[0] ^ 0xFF]))
        process, url, log = launch("fourth.log")
        text = open(log).read()
        assert "checksum does not match" in text and "read from the database" in text
        assert "saved before SIGKILL" in notes(url)
        wait_for(log, "snapshot file written")
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
        process, url, log = launch("fifth.log")
        assert "read from the snapshot file in" in open(log).read()
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
    finally:
        for process in started:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=10)
        shutil.rmtree(data, ignore_errors=True)
