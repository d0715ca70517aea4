"""bench/first_load.py accounts for every message of a first load: each part of the page, and nothing left out.

The committed account is bench/results/first-load-latest.md (`python -m bench.first_load`); this asserts what it
sorts where and that a smoke run adds up, no sizes.
"""

from __future__ import annotations

import pytest
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench import first_load, servers, wsclient


def _element(path: list[int], **element) -> ForwardMsg:
    msg = ForwardMsg()
    msg.metadata.delta_path.extend(path)
    ((kind, body),) = element.items()
    target = getattr(msg.delta.new_element, kind)
    if kind in ("html", "markdown"):
        target.body = body
    else:
        target.SetInParent()
    return msg


def _protocol(kind: str) -> ForwardMsg:
    msg = ForwardMsg()
    if kind == "script_finished":
        msg.script_finished = ForwardMsg.FINISHED_SUCCESSFULLY  # an enum field, not a message
    else:
        getattr(msg, kind).SetInParent()
    return msg


def _block(path: list[int]) -> ForwardMsg:
    msg = ForwardMsg()
    msg.metadata.delta_path.extend(path)
    msg.delta.add_block.SetInParent()
    return msg


@pytest.mark.parametrize(("msg", "part", "element"), [
    (_protocol("new_session"), "protocol", "new_session"),
    (_protocol("script_finished"), "protocol", "script_finished"),
    (_block([0, 3]), "layout", "add_block"),
    (_block([1, 0]), "frame: other", "add_block"),
    (_element([1, 0], html="<script>document.documentElement.lang = 'sv';</script><style></style>"),
     "frame: styles and scripts", "html"),
    (_element([1, 4], html='<div class="ks-share" data-ks-share><a href="x">x</a></div>'), "frame: share link", "html"),
    (_element([1, 1], page_link=None), "frame: menu", "page_link"),
    (_element([1, 2], button_group=None), "frame: switches", "button_group"),
    (_element([0, 2], markdown="Kommunstyrelsen"), "content", "markdown"),
    (_element([0, 5], vega_lite_chart=None), "content", "vega_lite_chart"),
])
def test_each_message_goes_to_its_part_of_the_page(msg, part, element):
    assert first_load.classify(msg) == first_load.Part(part, element)


def test_a_first_load_of_the_bare_app_adds_up_to_what_was_sent():
    with servers.Server(servers.bare(), "serve") as srv:
        account = wsclient.run_async(first_load.account_first_load(srv.url, ""))
        total = wsclient.run_async(wsclient.session(srv.url, "", change=False))
    parts = account["parts"]
    assert {p.part for p in parts} == {"protocol", "content"}  # the bare app has no menu frame
    assert first_load.Part("content", "slider") in parts
    assert account["messages"] == sum(n for n, _b, _d in parts.values()) == total["msgs"]
    assert account["bytes"] == sum(b for _n, b, _d in parts.values()) == total["bytes"]
    assert 0 < account["deflated"] < account["bytes"]
    table = first_load.format_account("bare", "", account)
    assert table.splitlines()[0].startswith(f"### bare /: {account['messages']} messages")
    assert "| content |" in table and "| protocol |" in table
