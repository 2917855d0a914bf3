"""Read every file of a folder with `nkreader.ingest.read_file` under hard limits; one JSON line each.

    ingest_guarded.py FOLDER [MEMORY_MB]

The process's address space is capped (default: what it uses after start-up plus 1 GB), so an
importer that explodes fails with MemoryError instead of taking the machine down; each file gets
5 s (SIGALRM). Outcomes: "ok" (a result), "refused" (IngestError), "timeout", "memory", "error"
(any other exception: a bug).
"""

from __future__ import annotations

import json
import resource
import signal
import sys
import time
import traceback
from pathlib import Path


class TooSlow(BaseException):
    pass


def main() -> int:
    folder = Path(sys.argv[1])
    extra = int(sys.argv[2]) if len(sys.argv) > 2 else 1024
    import nkreader.ingest.feed
    import nkreader.ingest.jsonfile
    import nkreader.ingest.markdown
    import nkreader.ingest.plaintext
    import nkreader.ingest.webpage  # noqa: F401  (readers are imported per format otherwise)
    from nkreader.ingest import IngestError, read_file  # everything imported before the cap

    with open("/proc/self/statm") as stream:
        used = int(stream.read().split()[0]) * resource.getpagesize()
    resource.setrlimit(resource.RLIMIT_AS, (used + extra * 1024 * 1024, resource.RLIM_INFINITY))

    def alarm(_signum: int, _frame: object) -> None:
        raise TooSlow

    signal.signal(signal.SIGALRM, alarm)
    for path in sorted(folder.iterdir()):
        started = time.monotonic()
        detail = ""
        signal.setitimer(signal.ITIMER_REAL, 5.0)
        try:
            result = read_file(path, max_bytes=64 * 1024 * 1024)
            outcome = "ok"
            detail = f"{len(result.drafts)} drafts"
        except IngestError as error:
            outcome, detail = "refused", str(error)
        except TooSlow:
            outcome = "timeout"
        except MemoryError:
            outcome = "memory"
        except Exception as error:
            outcome = "error"
            detail = "".join(traceback.format_exception(error))[-1500:]
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        record = {
            "name": path.name,
            "outcome": outcome,
            "seconds": round(time.monotonic() - started, 3),
            "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
            "detail": detail[:1500],
        }
        print(json.dumps(record), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
