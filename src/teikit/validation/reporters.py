"""Render a :class:`Report` for people and machines: text, json, junit, github, sarif.

Reporters only format; they never decide validity (``Report.ok`` does).
"""
from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import PurePath
from typing import Any, Callable
from urllib.parse import quote

from lxml import etree

from .diagnostics import Diagnostic, Report

FORMATS = ("text", "json", "junit", "github", "sarif")


#: in text output, how many occurrences of one kind of problem are listed before the rest
#: are only counted ("and 1,148 more like this"): enough to find the pattern, not a flood
GROUP_SHOWN = 3
#: what varies between occurrences of one kind of problem: numbers and quoted values, but
#: not the element and attribute names schema messages quote ("Element 'note', attribute 'n'")
_VARIABLE = re.compile(r"(?<!Element )(?<!attribute )('[^']*'|\"[^\"]*\")|\d+")


def render(report: Report, format: str = "text", *, group: bool = True) -> str:
    """The report in ``format`` (one of :data:`FORMATS`), ending with a newline.

    ``group``: in text output, list only the first :data:`GROUP_SHOWN` diagnostics of
    each kind (same severity, rule and message up to numbers and quoted values) and count
    the rest; the other formats always list everything.
    """
    if format not in _RENDERERS:
        raise ValueError(f"unknown format {format!r}; use one of {', '.join(FORMATS)}")
    if format == "text":
        return render_text(report, group=group)
    return _RENDERERS[format](report)


def text_line(d: Diagnostic) -> str:
    """``file:line:col: error: message [rule] at /TEI/text/...``"""
    line = f"{d.location()}: {d.severity}: {d.message} [{d.rule}]"
    if d.path:
        line += f" at {d.path}"
    return line


def kind(d: Diagnostic) -> tuple[str, str, str]:
    """Diagnostics of one kind differ only in numbers and quoted values (not names)."""
    return (d.severity, d.rule, _VARIABLE.sub("#", d.message))


def grouped_lines(diagnostics: list[Diagnostic], shown: int = GROUP_SHOWN) -> list[str]:
    """Text lines, the first ``shown`` of each kind, then "… and N more like this"."""
    kinds = [kind(d) for d in diagnostics]
    counts: Counter[tuple[str, str, str]] = Counter(kinds)
    seen: Counter[tuple[str, str, str]] = Counter()
    lines = []
    for d, key in zip(diagnostics, kinds):
        seen[key] += 1
        if seen[key] <= shown:
            lines.append(text_line(d))
            if seen[key] == shown and counts[key] > shown:
                lines.append(f"  … and {counts[key] - shown:,} more like this [{d.rule}] "
                             "(--all lists them, --format json has them all)")
    return lines


def render_text(report: Report, *, group: bool = True) -> str:
    lines = grouped_lines(report.diagnostics) if group else [text_line(d) for d in report.diagnostics]
    lines.append(("valid: " if report.ok else "INVALID: ") + report.summary())
    return "\n".join(lines) + "\n"


def render_json(report: Report) -> str:
    return json.dumps(report.to_json(), indent=2, ensure_ascii=False) + "\n"


def render_junit(report: Report) -> str:
    """One test case per file; its diagnostics are the failure (errors) or system-out (warnings)."""
    errors = {f: [] for f in report.files}  # type: dict[str, list[Diagnostic]]
    warnings = {f: [] for f in report.files}  # type: dict[str, list[Diagnostic]]
    for d in report.diagnostics:
        (errors if d.severity == "error" else warnings).setdefault(d.file, []).append(d)
    suites = etree.Element("testsuites", name="teikit validate")
    suite = etree.SubElement(
        suites, "testsuite", name="teikit validate", tests=str(len(report.files)),
        failures=str(len(report.invalid_files())), errors="0", skipped="0")
    for file in report.files:
        case = etree.SubElement(suite, "testcase", classname="teikit.validate", name=file, file=file)
        if errors.get(file):
            first = errors[file][0]
            failure = etree.SubElement(case, "failure", message=first.message, type=first.rule)
            failure.text = "\n".join(text_line(d) for d in errors[file])
        if warnings.get(file):
            out = etree.SubElement(case, "system-out")
            out.text = "\n".join(text_line(d) for d in warnings[file])
    suites.set("tests", suite.get("tests"))
    suites.set("failures", suite.get("failures"))
    return etree.tostring(suites, pretty_print=True, xml_declaration=True, encoding="UTF-8").decode("utf-8")


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotation(d: Diagnostic) -> str:
    """A workflow command: ``::error file=a.xml,line=3,col=5,title=rule::message``."""
    props = [f"file={_escape_property(d.file)}"]
    if d.line:
        props.append(f"line={d.line}")
    if d.column:
        props.append(f"col={d.column}")
    props.append(f"title={_escape_property(d.rule)}")
    message = d.message + (f" at {d.path}" if d.path else "")
    return f"::{d.severity} {','.join(props)}::{_escape_data(message)}"


def render_github(report: Report) -> str:
    """Annotations, then the full listing in a collapsible group (GitHub shows only a few
    annotations per step), then the summary line."""
    lines = [github_annotation(d) for d in report.diagnostics]
    if report.diagnostics:
        lines.append("::group::All diagnostics")
        lines.extend(text_line(d) for d in report.diagnostics)
        lines.append("::endgroup::")
    lines.append(("valid: " if report.ok else "INVALID: ") + report.summary())
    return "\n".join(lines) + "\n"


#: the SARIF version written (OASIS standard), and the schema a SARIF reader checks it against
SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def render_sarif(report: Report) -> str:
    """A SARIF 2.1.0 log (one run), for code-scanning services (GitHub's ``upload-sarif``,
    GitLab, Azure DevOps): one result per diagnostic, its rule among the driver's rules, the
    file as a URI relative to where teikit ran (absolute paths as ``file://`` URIs), the line
    and column when known and the element's path as a logical location."""
    from .._version import __version__
    rules: dict[str, int] = {}
    results = []
    for d in report.diagnostics:
        index = rules.setdefault(d.rule, len(rules))
        location: dict[str, Any] = {"physicalLocation": {"artifactLocation": {"uri": _sarif_uri(d.file)}}}
        if d.line:
            region = {"startLine": d.line, **({"startColumn": d.column} if d.column else {})}
            location["physicalLocation"]["region"] = region
        if d.path:
            location["logicalLocations"] = [{"fullyQualifiedName": d.path, "kind": "element"}]
        results.append({"ruleId": d.rule, "ruleIndex": index, "level": d.severity,
                        "message": {"text": d.message}, "locations": [location]})
    driver = {"name": "teikit", "version": __version__, "semanticVersion": __version__,
              "rules": [{"id": rule, "shortDescription": {"text": _rule_description(rule)}} for rule in rules]}
    log = {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION,
           "runs": [{"tool": {"driver": driver}, "results": results,
                     "invocations": [{"executionSuccessful": True}]}]}
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def _sarif_uri(file: str) -> str:
    """A file as SARIF wants it: a URI reference (``tei/a%20b.xml``; ``file:///...`` when absolute)."""
    path = PurePath(file)
    if path.is_absolute():
        return path.as_uri()
    return quote(path.as_posix(), safe="/")


def _rule_description(rule: str) -> str:
    """What a rule id says: a schema file (``teikit.xsd``) or an integrity or profile rule."""
    if PurePath(rule).suffix.lower() in (".xsd", ".rng", ".rnc", ".sch"):
        return f"valid against the schema {rule}"
    return f"teikit rule {rule}"


def render_markdown_summary(report: Report, limit: int = 200) -> str:
    """A Markdown table for ``$GITHUB_STEP_SUMMARY``."""
    head = f"### teikit validate: {'valid' if report.ok else 'INVALID'}\n\n{report.summary()}\n"
    if not report.diagnostics:
        return head
    rows = ["", "| file | line | severity | rule | message |", "|---|---|---|---|---|"]
    for d in report.diagnostics[:limit]:
        message = d.message.replace("|", "\\|")
        rows.append(f"| {d.file} | {d.line or ''} | {d.severity} | {d.rule} | {message} |")
    if len(report.diagnostics) > limit:
        rows.append(f"\n… and {len(report.diagnostics) - limit} more")
    return head + "\n".join(rows) + "\n"


_RENDERERS: dict[str, Callable[[Report], str]] = {
    "text": render_text,
    "json": render_json,
    "junit": render_junit,
    "github": render_github,
    "sarif": render_sarif,
}
