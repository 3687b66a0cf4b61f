"""The API answers as its OpenAPI document says, checked by schemathesis against the running server."""
import os
import shutil
import subprocess

import pytest


def test_api_conforms_to_its_openapi_document(base_url):
    schemathesis = shutil.which("schemathesis") or shutil.which("st")
    if schemathesis is None:
        pytest.fail("schemathesis is not installed (pip install schemathesis)")
    result = subprocess.run(
        [schemathesis, "run", base_url + "/api/v1/openapi.json", "--url", base_url,
         "--checks", "all",
         "--max-examples", "30"],
        capture_output=True, text=True, timeout=900, env={**os.environ, "NO_COLOR": "1"})
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
