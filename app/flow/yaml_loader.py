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


def load_yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=ContentLoader)  # noqa: S506 - a SafeLoader subclass
