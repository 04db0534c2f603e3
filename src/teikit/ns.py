"""XML namespaces teikit reads and writes: the one place the TEI namespace is spelled out.

>>> from teikit.ns import TEI_NS, tei
>>> tei("p")
'{http://www.tei-c.org/ns/1.0}p'
"""
from __future__ import annotations

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XML_ID = f"{{{XML_NS}}}id"
#: prefix map for XPath over TEI: ``element.xpath("//tei:note", namespaces=NSMAP)``
NSMAP = {"tei": TEI_NS}
#: ``{namespace}`` prefix of every TEI element's Clark name
TEI_CLARK = f"{{{TEI_NS}}}"
XML_CLARK = f"{{{XML_NS}}}"


def tei(local: str) -> str:
    """Clark name of a TEI element: ``tei("p") == "{http://www.tei-c.org/ns/1.0}p"``."""
    return f"{TEI_CLARK}{local}"
