"""`python -m bench.robustness_limits`: the limits of issue 23, each hit in a fresh process, its peak memory measured.

Cases (each must end in a coded error or a correct result, under ``MEMORY_LIMIT_MB``):

- ``docx_bomb``: a DOCX whose media member inflates to 1 GB (about 1 MB on disk);
- ``mimetype_bomb``: a zip whose "mimetype" member inflates to 1 GB (the type check used to read it whole);
- ``pdf_bomb``: a PDF whose one content stream inflates to 1 GB;
- ``short_lines``: 200,000 characters of two-to-four-word lines a side (quadratic in sentences);
- ``slow_server``: a local server that sends one byte a second, fetched with a 5 s deadline;
- ``threads``: 200 comparisons in four threads with the word-vector cache bound at two entries;
- ``charset``: a GBK page served as iso-8859-1.

The bombs are written to a temporary folder in streaming fashion (the bench never holds them
inflated either). Traffic goes to 127.0.0.1 only. The last stdout line is one JSON object.

    python -m bench.robustness_limits [--cases docx_bomb,pdf_bomb,...]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import socket
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MEMORY_LIMIT_MB = 2048
BOMB_BYTES = 1 << 30
CASES = ("docx_bomb", "mimetype_bomb", "pdf_bomb", "short_lines", "slow_server", "threads", "charset")


def _zeros(total: int, chunk: int = 1 << 24):
    for _ in range(total // chunk):
        yield bytes(chunk)


def write_zip_bomb(path: Path, member: str, *, docx: bool) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        if docx:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr("word/document.xml", "<w:document/>")
        with archive.open(member, "w", force_zip64=True) as out:
            for block in _zeros(BOMB_BYTES):
                out.write(block)


def write_pdf_bomb(path: Path) -> None:
    packer = zlib.compressobj(9)
    body = b"".join(packer.compress(block) for block in _zeros(BOMB_BYTES)) + packer.flush()
    path.write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Length " + str(len(body)).encode() + b" /Filter /FlateDecode >>\nstream\n"
                     + body + b"\nendstream\nendobj\ntrailer\n<< >>\n%%EOF\n")


def short_lines(chars: int, seed: int) -> str:
    rng = random.Random(seed)
    words = "port ship rain road bridge council mayor vote tax fee river storm court judge".split()
    lines, size = [], 0
    while size < chars:
        line = " ".join(rng.choice(words) for _ in range(rng.randint(2, 4)))
        lines.append(line)
        size += len(line) + 1
    return "\n".join(lines)[:chars]


def _outcome(call) -> tuple[str, str]:
    from app.errors import FrameDiffError

    try:
        value = call()
        return "ok", str(value)[:120]
    except FrameDiffError as exc:
        return exc.code, exc.message[:160]
    except Exception as exc:  # noqa: BLE001 - what the bench looks for: anything uncoded
        return "UNCODED", f"{type(exc).__name__}: {str(exc)[:160]}"


def run_case(name: str, folder: Path) -> dict:
    """One case in this process (called in a child)."""
    from app.text.sources import from_bytes, read_path

    started = time.perf_counter()
    if name in ("docx_bomb", "mimetype_bomb"):
        path = folder / f"{name}.docx"
        code, detail = _outcome(lambda: read_path(path, what="article a").text[:40])
    elif name == "pdf_bomb":
        code, detail = _outcome(lambda: read_path(folder / "bomb.pdf", what="article a").text[:40])
    elif name == "short_lines":
        from app import compare

        code, detail = _outcome(lambda: len(compare(short_lines(200_000, 1), short_lines(200_000, 2), lang_a="en",
                                                    lang_b="en", cache=None).spans))
    elif name == "slow_server":
        code, detail = _slow_server()
    elif name == "threads":
        code, detail = _threads()
    else:
        story = "港口工人周一举行罢工，要求提高工资。工会表示，谈判已经破裂，罢工将持续到周五。" * 3
        read = from_bytes(story.encode("gbk"), what="article b", source="page.html", charset="iso-8859-1")
        code, detail = ("ok" if read.text == story and read.warnings else "WRONG"), "; ".join(read.warnings)[:160]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"case": name, "outcome": code, "detail": detail, "seconds": round(time.perf_counter() - started, 2),
            "peak_mb": round(peak), "within_limit": peak < MEMORY_LIMIT_MB}


def _slow_server() -> tuple[str, str]:
    from app.text.fetch import FetchOptions, fetch_url

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)

    def drip():
        conn, _ = listener.accept()
        try:
            conn.recv(4096)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n")
            for _ in range(60):
                time.sleep(1)
                conn.sendall(b"x")
        except OSError:
            pass
        finally:
            conn.close()

    threading.Thread(target=drip, daemon=True).start()
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/drip"
    started = time.perf_counter()
    code, detail = _outcome(lambda: fetch_url(url, what="article a", options=FetchOptions(deadline=5)))
    listener.close()
    return code, f"{detail} (after {time.perf_counter() - started:.1f} s; deadline 5 s)"


def _threads() -> tuple[str, str]:
    from app import compare
    from app.pipeline import load_embedder
    from app.steps.words import spans

    spans._CACHE_SIZE = 2
    embedder = load_embedder("use-m3", None)
    pairs = [(f"The council of town {k} approved a bridge on Monday, officials said.",
              f"第{k}号镇议会周一批准了一座桥。") for k in range(10)]
    expected = [[(s.start, s.end, s.kind.value) for s in compare(a, b, embedder=embedder, cache=None).spans]
                for a, b in pairs]

    def one(k: int) -> bool:
        a, b = pairs[k % 10]
        got = [(s.start, s.end, s.kind.value) for s in compare(a, b, embedder=embedder, cache=None).spans]
        return got == expected[k % 10]

    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = [pool.submit(one, k) for k in range(200)]
    failures = sum(1 for f in futures if f.exception() is not None or not f.result())
    return ("ok" if failures == 0 else "FAILED"), f"{failures} of 200 threaded comparisons failed or differed"


def run_limits(cases=CASES, log=print) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if "docx_bomb" in cases:
            write_zip_bomb(folder / "docx_bomb.docx", "word/media/image1.bin", docx=True)
        if "mimetype_bomb" in cases:
            write_zip_bomb(folder / "mimetype_bomb.docx", "mimetype", docx=False)
        if "pdf_bomb" in cases:
            write_pdf_bomb(folder / "bomb.pdf")
        sizes = {p.name: p.stat().st_size for p in folder.iterdir()}
        rows = []
        for name in cases:
            proc = subprocess.run([sys.executable, "-m", "bench.robustness_limits", "--one", name, str(folder)],
                                  cwd=ROOT, capture_output=True, text=True, timeout=1800)
            row = (json.loads(proc.stdout.strip().splitlines()[-1]) if proc.returncode == 0 else
                   {"case": name, "outcome": "CRASHED", "detail": proc.stderr.strip()[-300:]})
            rows.append(row)
            log(json.dumps(row, ensure_ascii=False))
    ok = all(r.get("within_limit") and r["outcome"] not in ("UNCODED", "CRASHED", "FAILED", "WRONG") for r in rows)
    return {"bench": "robustness-limits", "bomb_files_bytes": sizes, "memory_limit_mb": MEMORY_LIMIT_MB,
            "cases": rows, "ok": ok}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.robustness_limits", description=__doc__.split("\n")[0])
    parser.add_argument("--cases", default=",".join(CASES))
    parser.add_argument("--one", nargs=2, metavar=("CASE", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(run_case(args.one[0], Path(args.one[1])), ensure_ascii=False))
        return
    report = run_limits(tuple(c for c in args.cases.split(",") if c),
                        log=lambda line: print(line, file=sys.stderr, flush=True))
    print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    main()
