"""The server configuration (.streamlit/config.toml): safe settings for an internal server with no internet."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib

from tests.helpers import REPO_ROOT

CONFIG_PATH = REPO_ROOT / ".streamlit" / "config.toml"


def _config() -> dict:
    with CONFIG_PATH.open("rb") as f:
        return tomllib.load(f)


def test_security_settings_for_an_internal_server():
    config = _config()
    server, browser, client = config["server"], config["browser"], config["client"]
    assert server["headless"] is True
    assert server["enableXsrfProtection"] is True
    assert server["enableCORS"] is True and "corsAllowedOrigins" not in server
    assert server["maxUploadSize"] <= 1  # the app has no file upload
    assert server["enableStaticServing"] is False
    assert server["enableAgentApi"] is False
    assert server["fileWatcherType"] == "none"
    assert "sslCertFile" not in server and "cookieSecret" not in server  # TLS at the proxy; secrets not in git
    assert browser["gatherUsageStats"] is False  # no telemetry request to data.streamlit.io
    assert client["showErrorDetails"] == "none"  # users see our message, not internals
    assert client["showErrorLinks"] is False  # no links out of the network under an error
    assert client["toolbarMode"] == "viewer"
    assert client["showSidebarNavigation"] is False


def test_allowed_hosts_and_base_path_are_documented_not_fixed():
    """Per-server settings stay out of the file (they differ per server) but the file says how to set them."""
    text = CONFIG_PATH.read_text(encoding="utf-8")
    server = _config()["server"]
    assert "allowedHosts" not in server and "baseUrlPath" not in server
    assert "# allowedHosts = [" in text and "STREAMLIT_SERVER_ALLOWED_HOSTS" in text
    assert "# baseUrlPath = " in text


def test_streamlit_reads_every_option_as_written():
    """Every option in the file is one Streamlit 1.67 knows, with the value the file gives it."""
    code = (
        "import json, sys, tomllib\n"
        "from streamlit import config\n"
        "config.get_config_options(force_reparse=True)\n"
        "data = tomllib.load(open(sys.argv[1], 'rb'))\n"
        "out = {}\n"
        "for section, values in data.items():\n"
        "    for key, value in values.items():\n"
        "        name = f'{section}.{key}'\n"
        "        opt = config._config_options.get(name)\n"
        "        out[name] = None if opt is None else [opt.value == value, opt.where_defined]\n"
        "print(json.dumps(out))\n"
    )
    result = subprocess.run([sys.executable, "-c", code, str(CONFIG_PATH)], cwd=REPO_ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    options = json.loads(result.stdout.strip().splitlines()[-1])
    unknown = [name for name, info in options.items() if info is None]
    assert unknown == []
    assert all(same and where.endswith("config.toml") for same, where in options.values()), options
