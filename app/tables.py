"""Imports every module that defines tables, so SQLModel.metadata knows the whole schema."""

from sqlmodel import SQLModel

metadata = SQLModel.metadata

# The library's search index (migrations/versions/0007) is not a model: an FTS5 table cannot be
# one, and the app fills it from content (app/library/search.py). These names, and the shadow
# tables FTS5 makes for it, stay out of the comparison of models and migrations.
SEARCH_INDEX_PREFIX = "library_search"


def include_name(name: str | None, type_: str, _parent_names: object) -> bool:
    return not (type_ == "table" and (name or "").startswith(SEARCH_INDEX_PREFIX))
