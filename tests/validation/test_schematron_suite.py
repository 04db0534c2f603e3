"""jing's Schematron test suite through `teikit validate` (in process, CliRunner).

The suite (../shared/peer-suites/schematrontest.xml, from jing-trang; README there) is
written in Schematron 1.5, the ASCC's namespace, which teikit reads as ISO Schematron:
20 cases, each a correct schema with valid and invalid instances, or an incorrect schema.
jing passes every check; so must teikit.
"""
from __future__ import annotations

import pytest
from click.testing import CliRunner
from lxml import etree

from teikit.cli import cli
from teikit.validation.schemas import load_validator
from tests.conftest import SHARED

SUITE = SHARED / "peer-suites" / "schematrontest.xml"
CHECKS = 44  # 2 incorrect schemas, 42 instances of the 18 correct ones


def _elements(parent: etree._Element) -> list[etree._Element]:
    return [child for child in parent if isinstance(child.tag, str)]


def test_jings_schematron_suite_through_the_command_line(tmp_path):
    if not SUITE.exists():
        pytest.skip(f"{SUITE} is not present beside the checkout")
    runner = CliRunner()

    def exit_code(schema, instance):
        return runner.invoke(cli, ["validate", "--no-config", "--no-integrity", "--profile", "none",
                                   "--schema", str(schema), str(instance)]).exit_code

    failed, total = [], 0
    for i, case in enumerate(etree.parse(str(SUITE)).getroot().iter("testCase")):
        folder = tmp_path / f"case{i}"
        folder.mkdir()
        schema = folder / "schema.sch"
        correct = case.find("correct")
        schema.write_bytes(etree.tostring(_elements(correct if correct is not None else case.find("incorrect"))[0]))
        if correct is None:
            (folder / "empty.xml").write_text("<x/>")
            total += 1
            if exit_code(schema, folder / "empty.xml") != 2:
                failed.append(f"case {i}: incorrect schema accepted")
            continue
        for j, instance in enumerate(el for el in case if el.tag in ("valid", "invalid")):
            path = folder / f"{instance.tag}{j}.xml"
            path.write_bytes(etree.tostring(_elements(instance)[0]))
            total += 1
            want = 0 if instance.tag == "valid" else 1
            if exit_code(schema, path) != want:
                failed.append(f"case {i}: {instance.tag} instance {j} not told {instance.tag}")
    assert total == CHECKS
    assert not failed, failed


def test_a_schematron_15_key_is_an_xslt_key(tmp_path):
    schema = tmp_path / "keys.sch"
    schema.write_text("""<schema xmlns="http://www.ascc.net/xml/schematron">
  <key name="person" match="person" path="@id"/>
  <pattern name="References">
    <rule context="ref">
      <assert test="key('person', @to)">no person <value-of select="@to"/></assert>
    </rule>
  </pattern>
</schema>""", encoding="utf-8")
    validator = load_validator(schema)
    tree = etree.ElementTree(etree.fromstring(
        b'<doc><person id="a"/><ref to="a"/><ref to="b"/></doc>'))
    diagnostics = validator.check(tree, "doc.xml")
    assert [d.message for d in diagnostics] == ["no person b"]
    assert diagnostics[0].line == 1
