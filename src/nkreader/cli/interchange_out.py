"""`nkreader export -f qdpx|brat|label-studio`: the interchange formats (issue 17).

Called by `export_cmd` for these formats; the other formats stay there. `qdpx` is a zip (never
written to a terminal), `brat` a folder (`-o` is required), `label-studio` JSON text.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from nkreader.cli.base import EXIT_USAGE, fail, open_library
from nkreader.domain import Kind
from nkreader.services.interchange import FORMATS as INTERCHANGE_FORMATS
from nkreader.services.interchange import HELP as INTERCHANGE_HELP

__all__ = ["INTERCHANGE_FORMATS", "INTERCHANGE_HELP", "export_interchange"]


def export_interchange(
    ctx: click.Context,
    fmt: str,
    output: Path | None,
    article_ids: tuple[int, ...],
    kinds: tuple[str, ...],
    since: date | None,
    *,
    schema: bool = False,
) -> None:
    from nkreader.export import label_studio
    from nkreader.services import interchange
    from nkreader.services.exporting import write_atomic

    if fmt not in INTERCHANGE_FORMATS:
        fail(f"{output} is a folder: only -f brat writes a folder", EXIT_USAGE)
    if schema:
        if fmt != "label-studio":
            fail(f"--schema describes the json and label-studio formats, not {fmt}", EXIT_USAGE)
        click.echo(label_studio.LABEL_CONFIG, nl=False)
        return
    filters = {"article_ids": article_ids or None, "kinds": [Kind(k) for k in kinds] or None, "since": since}
    library = open_library(ctx)
    if output is not None and fmt != "brat":
        from nkreader.services.output_files import TargetRefused, library_files, output_target

        try:  # never over the library itself
            output_target(output, protected=library_files(library.database.path))
        except TargetRefused as exc:
            fail(str(exc), EXIT_USAGE)
    try:
        if fmt == "brat":
            if output is None:
                fail("-f brat writes a folder of .txt and .ann files: name it with -o FOLDER", EXIT_USAGE)
            result = interchange.export_brat_folder(library, output, **filters)  # type: ignore[arg-type]
        elif fmt == "qdpx":
            if output is None:
                if sys.stdout.isatty():
                    fail("a .qdpx file is a zip: name it with -o FILE.qdpx (or pipe the output)", EXIT_USAGE)
                exported = interchange.render_qdpx(library, **filters)  # type: ignore[arg-type]
                sys.stdout.buffer.write(exported.data)
                sys.stdout.flush()
                return
            result = interchange.export_qdpx_file(library, output, **filters)
        else:
            text, result = interchange.render_label_studio(library, **filters)  # type: ignore[arg-type]
            if output is None:
                sys.stdout.write(text)
                sys.stdout.flush()
                return
            write_atomic(output, text)
    except interchange.ExportTargetError as exc:
        fail(str(exc), 1)
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror or exc}", 1)
    left = f" ({result.left_out} orphaned left out: no place in the text)" if result.left_out else ""
    click.echo(
        f"exported {result.articles} articles, {result.annotations} annotations to {output}{left}", err=True
    )
