"""No network on any compare path: the hub is offline before anything imports it (issue 15).

Runs in a fresh interpreter, without HF_HUB_OFFLINE in its environment, so that the check sees
the import order of a real run (in this test process huggingface_hub may be imported already).
Every socket connection and name lookup raises and is recorded; the run must record none.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = r'''
import json, socket, sys
attempts = []

def blocked(*args, **kwargs):
    attempts.append(repr(args)[:120])
    raise OSError("network blocked by test_offline")

class BlockedSocket(socket.socket):      # a class still: ssl and asyncio subclass socket.socket
    def connect(self, *args, **kwargs):
        blocked(*args)

    def connect_ex(self, *args, **kwargs):
        blocked(*args)

socket.socket = BlockedSocket
socket.create_connection = blocked
socket.getaddrinfo = blocked
socket.gethostbyname = blocked

from typer.testing import CliRunner
from app.cli import app

runner = CliRunner()
norvale = "corpora/samples/norvale"
default = runner.invoke(app, ["compare", f"{norvale}/a.en.txt", f"{norvale}/b.zh.txt", "--no-cache"])
labse = runner.invoke(app, ["compare", f"{norvale}/a.en.txt", f"{norvale}/b.zh.txt", "--no-cache", "--model", "labse"])
import huggingface_hub, sentence_transformers, gradio   # what a server or --model labse imports
print(json.dumps({"attempts": attempts, "default": default.exit_code, "labse": labse.exit_code,
                  "labse_output": labse.output, "spans": len(json.loads(default.stdout)["spans"])}))
'''


@pytest.mark.slow
def test_compare_runs_with_every_socket_blocked():
    env = {k: v for k, v in os.environ.items() if k not in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")}
    proc = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert report["attempts"] == []
    assert report["default"] == 0 and report["spans"] > 0
    # labse is not on this machine: a coded error, reached without asking the network
    assert report["labse"] in (0, 1) and ("[E007]" in report["labse_output"] or report["labse"] == 0)
