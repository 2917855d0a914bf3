"""How the app names who marked a passage and who changed it last (issue 11).

Plain strings from stored names (already one printable line, `services.annotators.clean_name`);
the widgets put them in `Content` pieces, never markup.
"""

from __future__ import annotations

from nkreader.domain import Annotation
from nkreader.tui.safe import excerpt


def who_label(annotation: Annotation, *, width: int = 30) -> str:
    """``ana``, ``ana · changed by ben``, ``changed by ben`` (maker unknown) or '' (neither known).

    The last changer is named only when it is someone other than the maker: a mark its maker
    edited needs no second name.
    """
    maker = excerpt(annotation.author, width) if annotation.author else ""
    changer = annotation.updated_by
    if changer and changer != annotation.author:
        changed = f"changed by {excerpt(changer, width)}"
        return f"{maker} · {changed}" if maker else changed
    return maker
