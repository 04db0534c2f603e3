"""``teikit validate``'s options from the config file (``[tool.teikit.validate]``).

```toml
[tool.teikit.validate]          # or [validate] in teikit.toml
paths = ["tei"]                 # what `teikit validate` with no PATHS checks
schemas = ["schema/edition.rng"]
tei-all = "schemas/tei_all.rng" # file or folder
profile = "none"                # auto | frus | none
refs = "error"                  # error | warning | off
known-ids = ["ids/volume.txt"]  # files (or folders of TEI) whose ids exist elsewhere
id-patterns = ['d\\d+']         # ids matching one of these exist elsewhere
xinclude-roots = ["shared"]     # folders XIncludes may read besides each file's own tree
integrity = true
xml-model = true                # also check each file against the schemas its <?xml-model?> names
schema-map = {"https://example.org/edition.rng" = "schema/edition.rng"}   # local copies of schema URLs
```

Relative paths are relative to the config file.  Command-line options win: a
``--schema`` or ``--tei-all`` replaces the configured schemas; ``--known-ids``,
``--id-pattern`` and ``--xinclude-root`` add to the configured lists.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from ..config import Config
from ..errors import InputError

SECTION = "validate"
_PATH_LISTS = ("paths", "schemas", "known-ids", "xinclude-roots")
_CHOICES = {"profile": ("auto", "frus", "none"), "refs": ("error", "warning", "off")}
_KEYS = {*_PATH_LISTS, "id-patterns", "tei-all", "profile", "refs", "integrity", "xml-model", "schema-map"}


@dataclass
class ValidateSettings:
    """Everything ``teikit validate`` can take from a config file (paths already resolved)."""

    paths: list[str] = field(default_factory=list)
    schemas: list[str] = field(default_factory=list)
    tei_all: str | None = None
    profile: str | None = None
    refs: str | None = None
    known_ids: list[str] = field(default_factory=list)
    id_patterns: list[str] = field(default_factory=list)
    xinclude_roots: list[str] = field(default_factory=list)
    integrity: bool | None = None
    xml_model: bool | None = None
    schema_map: dict[str, str] = field(default_factory=dict)


def from_config(config: Config) -> ValidateSettings:
    """Read and check the ``validate`` table; an unknown key or a wrong type is an InputError."""
    table = config.section(SECTION)
    where = str(config.path) if config.path else None
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise InputError(f"unknown key(s) in [{SECTION}]: {', '.join(unknown)} "
                         f"(known: {', '.join(sorted(_KEYS))})", path=where)
    settings = ValidateSettings()
    for key, value in table.items():
        attr = key.replace("-", "_")
        if key in _PATH_LISTS or key == "id-patterns":
            if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
                raise InputError(f"[{SECTION}] {key} must be a list of strings", path=where)
            setattr(settings, attr, [config.resolve(v) for v in value] if key in _PATH_LISTS else value)
        elif key in ("integrity", "xml-model"):
            if not isinstance(value, bool):
                raise InputError(f"[{SECTION}] {key} must be true or false", path=where)
            setattr(settings, attr, value)
        elif key == "schema-map":
            if not (isinstance(value, dict) and all(isinstance(v, str) for v in value.values())):
                raise InputError(f"[{SECTION}] schema-map must be a table of URL = \"local path\"", path=where)
            settings.schema_map = {url: config.resolve(path) for url, path in value.items()}
        else:
            if not isinstance(value, str) or (key in _CHOICES and value not in _CHOICES[key]):
                allowed = " | ".join(_CHOICES.get(key, ("a path",)))
                raise InputError(f"[{SECTION}] {key} must be {allowed}, not {value!r}", path=where)
            setattr(settings, attr, config.resolve(value) if key == "tei-all" else value)
    return settings

