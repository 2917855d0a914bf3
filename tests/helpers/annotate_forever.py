"""Write to a library through the same service the app uses, acknowledging each write on stdout.

Every line is printed (and flushed) only after the call that made the change has returned, so
a line on stdout is a promise: that change is committed and must survive a SIGKILL.

    A <uuid>            Library.annotate returned this annotation
    E <uuid> <note>     Library.edit returned it with this note
    I <id> <sha256>     import_paths stored this article (its body's SHA-256)

Modes:

    annotate_forever.py annotate DB ARTICLE_ID [COUNT]
        annotate a random span then edit its note, COUNT times (default: until killed).
        A StoreError ends the process with its one-line message on stderr and its exit status.
    annotate_forever.py import DB FOLDER
        import_paths(FOLDER), acknowledging each stored article.
    annotate_forever.py serve
        a fork server for the crash tests: imports everything once, then for each command line
        read on stdin ("annotate DB ARTICLE_ID" or "import DB FOLDER") forks a child that runs it,
        prints "pid <pid>", waits for the child and prints "exit <pid> <status>". The test kills
        the child with SIGKILL; since the child is dead before "exit" is printed, every ack it
        made is in the pipe before that line. Forking spares each trial the ~0.4 s of Python and
        SQLAlchemy start-up, so a few hundred kills fit in seconds; the child still opens the
        library from scratch (`Library.open`), exactly as the app does.
"""

from __future__ import annotations

import hashlib
import os
import random
import sys
from pathlib import Path


def _ack(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def annotate(db: str, article_id: int, count: int | None) -> int:
    from nkreader.domain import Kind
    from nkreader.services.library import InvalidSpan, Library
    from nkreader.store.errors import StoreError

    rng = random.Random(os.getpid() ^ int.from_bytes(os.urandom(4), "little"))
    kinds = list(Kind)
    try:
        library = Library.open(db, annotator=f"writer-{os.getpid()}")
        length = len(library.article(article_id).body)
        done = 0
        while count is None or done < count:
            start = rng.randrange(0, max(1, length - 40))
            end = min(length, start + rng.randint(5, 40))
            try:
                annotation = library.annotate(
                    article_id, rng.choice(kinds), start, end, tags=[f"t{rng.randrange(5)}"]
                )
            except InvalidSpan:
                continue
            _ack(f"A {annotation.uuid}")
            note = f"note-{os.getpid()}-{done}"
            library.edit(annotation, note=note, speaker=f"speaker {rng.randrange(3)}")
            _ack(f"E {annotation.uuid} {note}")
            done += 1
        library.close()
    except StoreError as exc:
        sys.stderr.write(f"{exc.message}\n")
        sys.stderr.flush()
        return exc.exit_code
    return 0


def import_folder(db: str, folder: str) -> int:
    from nkreader.services.importing import ImportEvent, Outcome, import_paths
    from nkreader.services.library import Library
    from nkreader.store.errors import StoreError

    try:
        library = Library.open(db)

        def acknowledge(event: ImportEvent) -> None:
            if event.outcome is Outcome.IMPORTED and event.article_id is not None:
                body = library.article(event.article_id).body
                _ack(f"I {event.article_id} {hashlib.sha256(body.encode()).hexdigest()}")

        import_paths(library, [Path(folder)], on_event=acknowledge)
        library.close()
    except StoreError as exc:
        sys.stderr.write(f"{exc.message}\n")
        return exc.exit_code
    return 0


def run(command: list[str]) -> int:
    mode, db, *rest = command
    if mode == "annotate":
        return annotate(db, int(rest[0]), int(rest[1]) if len(rest) > 1 else None)
    if mode == "import":
        return import_folder(db, rest[0])
    raise SystemExit(f"unknown mode {mode!r}")


def serve() -> int:
    # Everything a child needs, imported once, before any fork (and no database opened here).
    import nkreader.services.importing
    import nkreader.services.library  # noqa: F401
    from nkreader.store import migrate

    migrate.head_revision()  # loads the migration scripts
    for line in sys.stdin:
        command = line.split()
        if not command:
            continue
        sys.stdout.flush()
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                code = run(command)
            finally:
                sys.stdout.flush()
                os._exit(code)
        _ack(f"pid {pid}")
        _, status = os.waitpid(pid, 0)
        _ack(f"exit {pid} {os.waitstatus_to_exitcode(status)}")
    return 0


if __name__ == "__main__":
    arguments = sys.argv[1:]
    sys.exit(serve() if arguments == ["serve"] else run(arguments))
