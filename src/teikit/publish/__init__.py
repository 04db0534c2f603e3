"""Publishing TEI: the reading site and citation trees shared by ``teikit serve`` and the
static ``export --format site``.

:mod:`~teikit.publish.catalog` (collections and documents), :mod:`~teikit.publish.citation`
(citation trees and passages), :mod:`~teikit.publish.render` (HTML pages),
:mod:`~teikit.publish.site` (static files).
"""
