"""Command line: ``python -m app COMMAND``. Each ``*_cli`` parses options and calls a plain function.

Results go to stdout (or ``-o``); messages go to stderr. Exit codes: 0 ok, 1 bad input.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

from .errors import FrameDiffError
from .cli_settings import fail, takes_settings
from .settings import Settings

app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
                  help="FrameDiff: compare two articles on the same event, across languages.")
models_app = typer.Typer(no_args_is_help=True, help="Embedding and translation models.")
app.add_typer(models_app, name="models")

QUIET_HELP = ("Do not print the 'What changed' digest on stderr (it is printed when the result goes to a file "
              "or as JSON to stdout).")
FORMAT_HELP = ("Export format(s), comma-separated: html, md, csv, json, wa (W3C Web Annotation), digest (what "
               "changed, as text). "
               "Several formats need -o DIR; files are named after the inputs.")
EXCEL_HELP = "CSV for Excel: start with a UTF-8 byte-order mark (so Excel reads it as UTF-8)."
CSV_RAW_HELP = ("CSV cells exactly as the text has them; by default a cell starting with = + - @ (or tab, CR) "
                "gets a ' so no spreadsheet runs it as a formula.")
# A pair at the default 200,000-character limit takes 2-5 minutes on a busy 2-core machine
# (docs/robustness.md); a news-sized pair takes about a second.
DEFAULT_TIME_BUDGET = 300.0


def write_output(text: str, output: Optional[Path]) -> None:
    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {output}", err=True)


@app.command("compare")
@takes_settings()
def compare_cli(
    a: str = typer.Argument(..., help="Article a: the source (e.g. the wire report). A file (.txt, .md, .html, "
                                      ".pdf, .docx) or an http(s):// URL."),
    b: str = typer.Argument(..., help="Article b: the rewrite. A file or an http(s):// URL."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write here instead of stdout."),
    lang_a: Optional[str] = typer.Option(None, "--lang-a", help="Language of a (ISO 639-1); detected if omitted."),
    lang_b: Optional[str] = typer.Option(None, "--lang-b", help="Language of b (ISO 639-1); detected if omitted."),
    outlet_a: Optional[str] = typer.Option(None, help="Outlet of a, shown in exports."),
    outlet_b: Optional[str] = typer.Option(None, help="Outlet of b, shown in exports."),
    title_a: Optional[str] = typer.Option(None, help="Title of a."),
    title_b: Optional[str] = typer.Option(None, help="Title of b."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Do not read or write the embedding and translation caches."),
    translation_b: Optional[Path] = typer.Option(None, "--translation-b", help="Your own translation of b: a file with one line per sentence of b (see `sentences`); stored as translation_model 'user'."),
    formats: Optional[str] = typer.Option(None, "--format", "-f", help=FORMAT_HELP),
    excel: bool = typer.Option(False, "--excel", help=EXCEL_HELP),
    csv_raw: bool = typer.Option(False, "--csv-raw", help=CSV_RAW_HELP),
    quiet: bool = typer.Option(False, "--quiet", "-q", help=QUIET_HELP),
    *,
    settings: Settings,
):
    """Compare article A with article B and write the result as JSON (or --format html,md,csv,wa,digest)."""
    from .text.article import ArticleMeta
    from .export.files import check_export_request
    from .pipeline import compare
    from .text.sources import as_source, source_stem

    try:
        a, b = as_source(a), as_source(b)     # a URL stays a string (fetched), anything else is a path
        stem = f"{source_stem(a)}_vs_{source_stem(b)}"
        if formats is not None:     # refuse a bad --format/-o before the slow part
            check_export_request(formats, output, stem=stem)
        result = compare(a, b, settings=settings, cache=None if no_cache else True,
                         lang_a=lang_a, lang_b=lang_b,
                         meta_a=ArticleMeta(outlet=outlet_a, title=title_a),
                         meta_b=ArticleMeta(outlet=outlet_b, title=title_b), translation_b=translation_b)
        for side in ("a", "b"):    # how a text was read, when doubtful (a guessed encoding, replaced bytes)
            for warning in result.articles[side].meta.warnings:
                typer.echo(f"warning: {warning}", err=True)
        if formats is not None:
            emit_exports(result, formats=formats, output=output, stem=stem, excel=excel, csv_raw=csv_raw)
    except FrameDiffError as exc:
        fail(exc)
    if formats is None:
        write_output(result.to_json(), output)
    if not quiet and (formats is None or output is not None) and "digest" not in (formats or ""):
        from .export.digest import digest_text

        typer.echo("\n" + digest_text(result), err=True, nl=False)   # for the person at the terminal


def emit_exports(result, *, formats: str, output: Optional[Path], stem: str, excel: bool,
                 csv_raw: bool = False) -> None:
    from .export.files import parse_formats, render_exports, write_export

    for item in render_exports(result, formats=parse_formats(formats), output=output, stem=stem, excel=excel,
                               csv_raw=csv_raw):
        if item.path is None:
            write_output(item.text, None)
        else:
            write_export(item)
            typer.echo(f"wrote {item.path}", err=True)


@app.command("export")
def export_cli(
    result_file: Path = typer.Argument(..., help="A saved result (JSON from `compare`)."),
    formats: str = typer.Option("html", "--format", "-f", help=FORMAT_HELP),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="File, or directory for several formats; stdout if omitted."),
    excel: bool = typer.Option(False, "--excel", help=EXCEL_HELP),
    csv_raw: bool = typer.Option(False, "--csv-raw", help=CSV_RAW_HELP),
):
    """Re-render a saved result (no model is loaded): HTML, Markdown, CSV, JSON or Web Annotation."""
    from .export.files import load_result

    try:
        emit_exports(load_result(result_file), formats=formats, output=output, stem=result_file.stem, excel=excel,
                     csv_raw=csv_raw)
    except FrameDiffError as exc:
        fail(exc)


@app.command("compare-many")
@takes_settings()
def compare_many_cli(
    articles: list[str] = typer.Argument(..., help="SOURCE R1 R2 ...: the source (first, unless --source auto) and "
                                                   "its rewrites; files or http(s):// URLs."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Folder for many.json, matrix.html, "
                                          "matrix.csv and digest.txt; without it many.json goes to stdout."),
    source: str = typer.Option("first", "--source", help="'first': the first article is the source; 'auto': "
                               "propose one (earliest date, else the one the others share most content with)."),
    names: Optional[list[str]] = typer.Option(None, "--name", help="Outlet name, once per article in the order "
                                              "given (source included); default: outlet, else file name."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Do not read or write the embedding and translation caches."),
    excel: bool = typer.Option(False, "--excel", help=EXCEL_HELP),
    csv_raw: bool = typer.Option(False, "--csv-raw", help=CSV_RAW_HELP),
    *,
    settings: Settings,
):
    """Compare one source with several rewrites: coverage matrix, shared additions, who dropped what (docs/compare-many.md)."""
    from .many import check_rewrites, compare_many
    from .text.sources import as_source

    if source not in ("first", "auto"):
        typer.echo("error: --source is 'first' or 'auto'", err=True)
        raise typer.Exit(1)
    if names and len(names) != len(articles):
        typer.echo(f"error: give --name once per article ({len(articles)}), or not at all", err=True)
        raise typer.Exit(1)
    try:
        inputs = [as_source(x) for x in articles]
        check_rewrites(inputs[0], inputs[1:])       # E018 before any model is loaded
        given = list(names) if names else [None] * len(inputs)
        many = compare_many(inputs[0], inputs[1:], settings=settings, cache=None if no_cache else True,
                            source_name=given[0], names=given[1:], auto_source=source == "auto")
    except FrameDiffError as exc:
        fail(exc)
    if output is None:
        typer.echo(f"source: {many.source_name} ({many.source_choice.reason})", err=True)
        write_output(many.to_json(), None)
        return
    from .export.matrix import many_digest, write_many

    for path in write_many(many, output, raw=csv_raw, excel=excel):
        typer.echo(f"wrote {path}", err=True)
    typer.echo("\n" + many_digest(many), err=True, nl=False)     # for the person at the terminal


@app.command("align")
@takes_settings("model", "max_group", "attach_unaligned")
def align_cli(
    a: Path = typer.Argument(..., help="Side a."),
    b: Path = typer.Argument(..., help="Side b."),
    presplit: bool = typer.Option(False, "--presplit", help="Inputs hold one sentence per line (as Bertalign/Vecalign expect)."),
    lang_a: Optional[str] = typer.Option(None, "--lang-a", help="Language of a; detected if omitted."),
    lang_b: Optional[str] = typer.Option(None, "--lang-b", help="Language of b; detected if omitted."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write here instead of stdout."),
    *,
    settings: Settings,
):
    """Print the sentence alignment as beads, one per line: `[0, 1]:[0]`, `[5]:[]`."""
    from .bead_lines import align_beads

    try:
        lines = align_beads(a, b, presplit=presplit, lang_a=lang_a, lang_b=lang_b, settings=settings)
    except FrameDiffError as exc:
        fail(exc)
    write_output("\n".join(lines), output)


@app.command("sentences")
def sentences_cli(
    path: Path = typer.Argument(..., help="An article (.txt, .md or .html)."),
    lang: Optional[str] = typer.Option(None, "--lang", help="Its language (ISO 639-1); detected if omitted."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write here instead of stdout."),
):
    """Print the article's sentences, one per line: translate them line by line for --translation-b."""
    from .steps.translate_sides import sentence_lines

    try:
        lines = sentence_lines(path, language=lang)
    except FrameDiffError as exc:
        fail(exc)
    write_output("\n".join(lines), output)


@models_app.command("list")
def models_list_cli(as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
                    measure: bool = typer.Option(False, "--measure", help="Load each present model in turn and "
                                                 "show the memory it holds (slow; the model cache bound holds).")):
    """List known embedding and translation models: languages, size, licence, present here, how to get."""
    from .model_info import cache_summary, languages_text, model_rows

    rows = model_rows(measure=measure)
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    typer.echo(f"{'name':<24} {'kind':<11} {'present':<7} {'size':<7} {'memory':<8} {'languages':<14} "
               f"{'licence':<40} how to get")
    for row in rows:
        memory = "-" if row["memory_mb"] is None else f"{row['memory_mb']:.0f} MB"
        typer.echo(f"{row['name']:<24} {row['kind']:<11} {row['present']:<7} {row['size']:<7} {memory:<8} "
                   f"{languages_text(row):<14} {row['licence']:<40} {row['how_to_get']}")
    typer.echo(cache_summary())


@models_app.command("download")
def models_download_cli(name: str = typer.Argument(..., help="A registry name from `models list`.")):
    """Fetch a model into the local Hugging Face cache at its pinned revision (needs a network)."""
    from .model_info import download_model

    try:
        report = download_model(name)
    except FrameDiffError as exc:
        fail(exc)
    typer.echo(json.dumps(report))


@app.command("batch")
@takes_settings()
def batch_cli(
    pairs: Path = typer.Argument(..., help="JSONL or CSV of pairs (id, a, b, optional outlet_a, outlet_b, lang_a, story, "
                                           "lang_b, date), or a folder of <id>/a.*, <id>/b.*, <id>/meta.json."),
    out: Path = typer.Option(..., "--out", help="Output folder (created; a re-run resumes there)."),
    workers: Optional[int] = typer.Option(None, "--workers", help="Dask worker processes (1 thread each); "
                                          "default: one per core; 0 runs in this process."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="tcp://HOST:PORT of an existing Dask cluster."),
    no_dask: bool = typer.Option(False, "--no-dask", help="Run in this process (same as --workers 0)."),
    html: bool = typer.Option(False, "--html", help="Also write pairs/<id>.html."),
    retry_errors: bool = typer.Option(False, "--retry-errors", help="Compare again the pairs that failed before."),
    no_progress: bool = typer.Option(False, "--no-progress", help="No progress bar."),
    csv_raw: bool = typer.Option(False, "--csv-raw", help="spans.csv and pairs.csv cells exactly as the text has "
                                 "them, without a byte-order mark; by default formula-like cells get a '."),
    *,
    settings: Settings,
):
    """Compare every pair of a corpus into --out: per-pair JSON, span tables, errors and a report."""
    from .batch import BatchOptions, run_batch

    try:
        options = BatchOptions(settings=settings, workers=0 if no_dask else workers, scheduler=scheduler,
                               html=html, retry_errors=retry_errors, progress=not no_progress, csv_raw=csv_raw)
        summary = run_batch(pairs, out, options=options, log=lambda msg: typer.echo(msg, err=True))
    except FrameDiffError as exc:
        fail(exc)
    typer.echo(json.dumps(summary))


@app.command("serve")
@takes_settings()
def serve_cli(
    host: str = typer.Option("127.0.0.1", "--host", help="Interface to listen on."),
    port: int = typer.Option(7860, "--port", help="Port to listen on."),
    concurrency: int = typer.Option(2, "--concurrency", help="Comparisons run at once; more requests queue."),
    time_budget: float = typer.Option(DEFAULT_TIME_BUDGET, "--time-budget", min=0,
                                      help="Seconds one comparison may run before it is stopped (E041), so a huge "
                                           "request cannot hold a slot for long; 0 = no limit."),
    model_dir: Optional[Path] = typer.Option(None, "--model-dir", help="A folder of sentence-transformers models "
                                             "(one per sub-folder) that web users may choose by folder name; "
                                             "callers never pass paths."),
    check: bool = typer.Option(False, "--check", help="Run the sample pair through /compare in-process, then exit 0/1."),
    *,
    settings: Settings,
):
    """Start the web UI (Gradio) at http://HOST:PORT."""
    from .web import check as check_web, serve

    if not check:
        serve(settings, host=host, port=port, concurrency=concurrency, model_dir=model_dir,
              time_budget=time_budget or None)
        return
    try:
        typer.echo(json.dumps(check_web(settings)))
    except FrameDiffError as exc:
        fail(exc)


@app.command("schema")
def schema_cli(output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write here instead of stdout.")):
    """Print the JSON Schema of the result (framediff.result/1)."""
    from .result import json_schema

    write_output(json.dumps(json_schema(), indent=2, ensure_ascii=False), output)


def main() -> None:
    app()
