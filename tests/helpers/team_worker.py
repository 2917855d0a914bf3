"""One analyst of the load test (issue 11): mark COUNT passages of one article as NAME, then edit
each of them once, through the same service the app uses.

    team_worker.py DB ARTICLE_ID NAME COUNT

Prints one line "done <marks> <edits>" at the end; a StoreError ends it with its one-line message
on stderr and its exit status (the test fails on any).
"""

from __future__ import annotations

import random
import sys

from nkreader.domain import Kind
from nkreader.services.library import Library
from nkreader.store.errors import StoreError

EDIT_EVERY = 5


def main() -> int:
    db, article_id, name, count = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    rng = random.Random(name)
    kinds = list(Kind)
    try:
        library = Library.open(db, annotator=name)
        length = len(library.article(article_id).body)
        made = []
        body = library.article(article_id).body
        while len(made) < count:
            start = rng.randrange(length - 20)
            end = start + rng.randint(1, 20)
            if not body[start:end].strip():
                continue  # blank text cannot be marked
            made.append(library.annotate(article_id, kinds[len(made) % 3], start, end))
        edits = 0
        for i, annotation in enumerate(made[::EDIT_EVERY]):
            library.edit(annotation, note=f"{name} {i}")
            edits += 1
        library.close()
    except StoreError as error:
        print(error.message, file=sys.stderr)
        return error.exit_code
    print(f"done {len(made)} {edits}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
