"""bench/scale.py and the deployment recipe it runs: the README's systemd unit and nginx file, on loopback.

The full run (300 sessions on one process and through nginx) is `python -m bench.scale`; its results are committed in
bench/results/scale-*.md. Here: the recipe's parts read as the benchmark reads them, a smoke run that asserts no
times, and the session affinity the recipe promises (every request of one browser reaches the same instance).
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request

import pytest

from bench import robust, scale
from bench.wsclient import run_async
from tests.helpers import REPO_ROOT

README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")


def _fenced(lang: str) -> list[str]:
    return [m.group(1) for m in re.finditer(rf"```{lang}\n(.*?)```", README, flags=re.S)]


@pytest.mark.parametrize(("lang", "path"), [("ini", scale.UNIT_FILE), ("nginx", scale.NGINX_FILE)])
def test_the_readme_shows_the_recipe_the_benchmark_runs(lang, path) -> None:
    """The README's service and proxy recipe is the committed file, word for word, so the two cannot drift."""
    assert path.read_text(encoding="utf-8") in _fenced(lang)


def test_the_unit_starts_serve_py_on_loopback_under_the_path() -> None:
    unit = scale.read_unit(scale.UNIT_FILE.read_text())
    assert unit.base_path == "ks-utforskaren"
    cmd, env = scale.get_instance_command(unit, 8555)
    assert cmd[1].endswith("serve.py") and "--server.address=127.0.0.1" in cmd and "--server.port=8555" in cmd
    assert env == {"STREAMLIT_SERVER_ALLOWED_HOSTS": "127.0.0.1", "STREAMLIT_BROWSER_SERVER_ADDRESS": "127.0.0.1"}


def test_the_rendered_nginx_file_changes_only_the_addresses(tmp_path) -> None:
    recipe = scale.NGINX_FILE.read_text()
    conf = scale.render_nginx(recipe, 9001, [9101, 9102, 9103], tmp_path)
    assert "listen 127.0.0.1:9001;" in conf and "listen 80;" not in conf
    assert re.findall(r"server 127\.0\.0\.1:(\d+);", conf) == ["9101", "9102", "9103"]
    assert "intra.kommun.local" not in conf
    # What the recipe says about affinity, WebSockets and timeouts is there as written.
    for line in ("hash $ks_instance consistent;", "proxy_set_header Upgrade $http_upgrade;", "proxy_read_timeout 1d;",
                 "location /ks-utforskaren/ {"):
        assert line in recipe and line in conf


def test_smoke_run_every_session_finishes_and_they_spread_over_the_instances(tmp_path) -> None:
    assert scale.main(["--sessions", "16", "--instances", "2", "--out", str(tmp_path)]) == 0
    [path] = tmp_path.glob("scale-2*.json")
    result = json.loads(path.read_text())
    assert result["one_process"]["ok"] == result["nginx"]["ok"] == 16
    assert result["problems"] == []
    assert sum(result["nginx"]["per_instance"]) == 16 and min(result["nginx"]["per_instance"]) > 0
    assert "## Verdict" in (tmp_path / "scale-latest.md").read_text()


async def _open(url: str, cookie: str | None) -> None:
    import websockets

    from bench.wsclient import get_stream_url, read_run, rerun_msg

    headers = {"Cookie": f"ks_instance={cookie}"} if cookie else None
    async with websockets.connect(get_stream_url(url), subprotocols=["streamlit"], max_size=None, proxy=None,
                                  additional_headers=headers, open_timeout=60, ping_interval=None) as ws:
        await ws.send(rerun_msg("om_data", ""))
        await read_run(ws, 60)


def test_one_browser_always_reaches_the_same_instance() -> None:
    """Each affinity cookie keeps its sessions on one instance; different browsers use every instance; a new
    browser is given its cookie on its first request."""
    unit = scale.read_unit(scale.UNIT_FILE.read_text())
    started = [scale.Instance(unit).start() for _ in range(2)]
    proxy = None
    try:
        for inst in started:
            run_async(robust.warm_up_pages(inst.url, ["om_data"]))
        proxy = scale.Nginx([inst.port for inst in started]).start(unit.base_path)
        url = proxy.url(unit.base_path)
        with urllib.request.urlopen(url + "/") as r:
            assert re.match(r"ks_instance=\w+; Path=/ks-utforskaren/; HttpOnly", r.headers["Set-Cookie"])
        used = set()
        for i in range(20):
            before = [scale.count_sessions(inst) for inst in started]
            for _ in range(3):
                run_async(_open(url, f"browser{i}"))
            grown = [scale.count_sessions(inst) - b for inst, b in zip(started, before)]
            assert sorted(grown) == [0, 3], (i, grown)  # all three sessions of this browser on one instance
            used.add(grown.index(3))
        assert used == {0, 1}
    finally:
        if proxy:
            proxy.stop()
        for inst in started:
            inst.stop()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs) -> None:
        return None  # the 302 itself is what is looked at


def test_an_address_with_more_after_the_page_reaches_the_page_through_the_recipe() -> None:
    """Through nginx under /ks-utforskaren/, `…/ekonomi/extra` is sent to `…/ekonomi` with its query (serve.py's
    relative redirect, passed on unchanged), not answered with a page whose scripts cannot load."""
    unit = scale.read_unit(scale.UNIT_FILE.read_text())
    inst = scale.Instance(unit).start()
    proxy = None
    try:
        proxy = scale.Nginx([inst.port]).start(unit.base_path)
        url = proxy.url(unit.base_path)
        request = urllib.request.Request(url + "/ekonomi/extra?lang=en", headers={"Accept": "text/html"})
        with pytest.raises(urllib.error.HTTPError) as answer:
            urllib.request.build_opener(_NoRedirect).open(request)
        assert answer.value.code == 302 and answer.value.headers["Location"] == "../ekonomi?lang=en"
        with urllib.request.urlopen(request) as followed:
            assert followed.url == url + "/ekonomi?lang=en" and followed.status == 200
    finally:
        if proxy:
            proxy.stop()
        inst.stop()


@pytest.mark.parametrize(("spread", "failing"), [([8, 8], False), ([16, 0], True), ([16], False)])
def test_judge_fails_when_every_session_went_to_one_instance(spread, failing) -> None:
    ok = {"sessions": 16, "ok": 16, "errors": []}
    assert bool(scale.judge({"one_process": ok, "nginx": ok | {"per_instance": spread}})) is failing
