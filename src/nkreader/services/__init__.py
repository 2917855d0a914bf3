"""Use cases shared by the app and the command line.

`StoreError` is re-exported so the app can report store failures without
importing the store layer itself.
"""

from nkreader.store.errors import StoreError

__all__ = ["StoreError"]
