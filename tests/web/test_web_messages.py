"""What the web UI says when something goes wrong: coded, and never a server path (issue 24)."""

from __future__ import annotations

from app.errors import error
from app.web.engine import web_message


def test_a_server_path_shows_as_its_file_name():
    message = web_message(error("E014", path="/tmp/gradio/5f0c1a/uploads/bad.json", detail="not JSON"))
    assert message == "[E014] Result file bad.json is not a valid FrameDiff result: not JSON"


def test_addresses_and_plain_words_are_left_alone():
    message = web_message(error("E020", what="article a", url="https://news.example.org/a/b.html",
                                reason="the connection was refused"))
    assert "https://news.example.org/a/b.html" in message
    assert web_message(error("E001", what="article b")).startswith("[E001] article b is empty")
