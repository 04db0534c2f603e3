"""XML namespaces teikit reads and writes: the one place each is spelled out.

>>> from teikit.ns import TEI_NS, tei
>>> tei("p")
'{http://www.tei-c.org/ns/1.0}p'
"""
from __future__ import annotations

import re

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XML_ID = f"{{{XML_NS}}}id"
#: the Office of the Historian's own vocabulary beside TEI in FRUS volumes (``frus:attachment``)
FRUS_NS = "http://history.state.gov/frus/ns/1.0"
XI_NS = "http://www.w3.org/2001/XInclude"
XSL_NS = "http://www.w3.org/1999/XSL/Transform"

# schema languages
XSD_NS = "http://www.w3.org/2001/XMLSchema"
#: XML Schema 1.1's versioning attributes (``vc:minVersion="1.1"``)
VC_NS = "http://www.w3.org/2007/XMLSchema-versioning"
RNG_NS = "http://relaxng.org/ns/structure/1.0"
#: ISO Schematron, and the Schematron Validation Report Language its checks write
SCH_NS = "http://purl.oclc.org/dsdl/schematron"
SVRL_NS = "http://purl.oclc.org/dsdl/svrl"
#: Schematron 1.5 (the ASCC's), read as the ISO Schematron it nearly is
SCH15_NS = "http://www.ascc.net/xml/schematron"
#: local names of TEI's divisions: the unnumbered ``div`` and the numbered ``div1``..``div7``
#: (DraCor's and Perseus's texts use those)
DIVISIONS = frozenset({"div", *(f"div{level}" for level in range(1, 8))})
#: prefix map for XPath over TEI: ``element.xpath("//tei:note", namespaces=NSMAP)``
NSMAP = {"tei": TEI_NS}
#: ``{namespace}`` prefix of every TEI element's Clark name
TEI_CLARK = f"{{{TEI_NS}}}"
XML_CLARK = f"{{{XML_NS}}}"


def tei(local: str) -> str:
    """Clark name of a TEI element: ``tei("p") == "{http://www.tei-c.org/ns/1.0}p"``."""
    return f"{TEI_CLARK}{local}"


#: a name test in an XPath step with no prefix: ``//note``, ``/TEI/text``, ``child::p``
_UNPREFIXED_STEP = re.compile(r"(?:^|/|::)\s*([A-Za-z_][\w.-]*)(?=\s*(?:$|[/\[|)]))")


def missing_prefix_hint(expression: str) -> str | None:
    """A hint when an XPath names elements without the ``tei:`` prefix (they match nothing in TEI).

    >>> print(missing_prefix_hint("//note[@n]"))
    XPath '//note[@n]' found nothing: TEI elements need the tei: prefix, as in '//tei:note[@n]'
    >>> missing_prefix_hint("//tei:note") is None
    True
    """
    names = list(_UNPREFIXED_STEP.finditer(expression))  # (node tests such as text() are followed by "(")
    if not names:
        return None
    fixed = expression
    for match in reversed(names):
        fixed = fixed[:match.start(1)] + "tei:" + fixed[match.start(1):]
    return f"XPath {expression!r} found nothing: TEI elements need the tei: prefix, as in {fixed!r}"
