"""A YAML loader for content files in which yes/no/on/off stay strings.

PyYAML follows YAML 1.1, where `yes` and `no` are booleans. Content writers use them as option
values (`detained: yes`), so only `true` and `false` are booleans here.
"""

import re
from pathlib import Path
from typing import Any

import yaml

# libyaml's parser when PyYAML was built with it (its wheels are), else the pure-Python one.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class ContentLoader(_BaseLoader):  # type: ignore[valid-type,misc]  # a base chosen at run time
    pass


ContentLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
ContentLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf")
)


class YamlFileError(ValueError):
    """A content file that cannot be read as YAML: the message says what and where, in one
    line a content writer can act on (F13: never a parser's traceback)."""


def load_yaml(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.load(handle, Loader=ContentLoader)  # noqa: S506 - a SafeLoader subclass
    except UnicodeDecodeError as error:
        byte = error.object[error.start]
        raise YamlFileError(
            f"not UTF-8 text (byte 0x{byte:02x} at offset {error.start}); save it as UTF-8"
        ) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise YamlFileError(f"not valid YAML: {error.problem or error.context}{where}") from None
    except yaml.YAMLError as error:
        raise YamlFileError(f"not valid YAML: {type(error).__name__}") from None


def load_yaml_or_none(path: Path) -> Any:
    """For checks that read files a reader already reported: an unreadable one is skipped."""
    try:
        return load_yaml(path)
    except YamlFileError:
        return None
