"""nkreader: a terminal reader and annotator for news reporting."""

__version__ = "0.1.0"
