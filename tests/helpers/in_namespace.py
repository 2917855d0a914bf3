"""Run nkreader commands on a read-only or a full file system, inside a private mount namespace.

    unshare -m python in_namespace.py SPEC.json

SPEC is JSON:

    {"setup": "ro-file" | "ro-folder" | "full" | "nearly-full",
     "folder": "/tmp/.../mnt",        a folder (created by the test) to mount over
     "database": "/tmp/.../library.db" copied into the folder before it is made read-only / full
     "commands": [["list"], ["import", "/tmp/x.txt"], ["app"], ...]}

Prints one JSON object: for each command its exit code, stdout and stderr (for "app", the whole
terminal output of `python -m nkreader` run in a pseudo-terminal), and the SHA-256 of the
database file before the first and after the last command, plus `PRAGMA integrity_check` and the
article count read afterwards (with the file system writable again). The mounts vanish with the
namespace when this process ends; the test's own files are never touched.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from helpers.pty_app import PtyApp


def mount(*args: str) -> None:
    subprocess.run(["mount", *args], check=True, capture_output=True)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fill(folder: Path, leave: int) -> Path:
    """Fill the file system until `leave` bytes (about) are free."""
    filler = folder / "filler.bin"
    with filler.open("wb") as stream:
        block = b"\0" * 4096
        while True:
            free = os.statvfs(folder).f_bavail * os.statvfs(folder).f_frsize
            if free <= leave:
                break
            try:
                stream.write(block if free - leave >= 4096 else block[: max(1, free - leave)])
                stream.flush()
            except OSError:
                break
    return filler


def run_command(database: Path, command: list[str]) -> dict[str, object]:
    if command == ["app"]:
        with PtyApp(["--db", str(database)], columns=100, rows=30) as app:
            code = app.wait(timeout=30)
            return {"code": code, "stdout": app.text(), "stderr": ""}
    result = subprocess.run(
        [sys.executable, "-m", "nkreader", "--db", str(database), *command],
        capture_output=True,
        text=True,
        timeout=60,
    )
    return {"code": result.returncode, "stdout": result.stdout, "stderr": result.stderr}


def main() -> int:
    spec = json.loads(Path(sys.argv[1]).read_text())
    folder = Path(spec["folder"])
    source = Path(spec["database"])
    database = folder / source.name
    setup = spec["setup"]
    mount("--make-rprivate", "/")
    filler = None
    if setup in ("full", "nearly-full"):
        mount("-t", "tmpfs", "-o", "size=2m", "tmpfs", str(folder))
        shutil.copyfile(source, database)
        filler = fill(folder, 0 if setup == "full" else 96 * 1024)
    else:
        mount("-t", "tmpfs", "-o", "size=16m", "tmpfs", str(folder))
        shutil.copyfile(source, database)
        target = database if setup == "ro-file" else folder
        mount("--bind", str(target), str(target))
        mount("-o", "remount,bind,ro", str(target))
    before = sha256(database)
    results = [run_command(database, command) for command in spec["commands"]]
    leftovers = sorted(p.name for p in folder.iterdir() if p.name != "filler.bin")
    after = sha256(database)
    # Writable again (and room again) to read what is left, as the user would after fixing it.
    if filler is not None:
        filler.unlink()
    else:
        mount("-o", "remount,bind,rw", str(database if setup == "ro-file" else folder))
    connection = sqlite3.connect(database)
    try:
        integrity = connection.execute("PRAGMA integrity_check").fetchone()[0]
        articles = connection.execute("SELECT count(*) FROM articles").fetchone()[0]
    finally:
        connection.close()
    print(
        json.dumps(
            {
                "results": results,
                "before": before,
                "after": after,
                "integrity": integrity,
                "articles": articles,
                "files": leftovers,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
