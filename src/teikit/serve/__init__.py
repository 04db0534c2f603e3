"""``teikit serve``: the DTS 1.0 API (:mod:`~teikit.serve.dts`) and the reading site
(:mod:`~teikit.serve.app`) over a catalog of TEI files; needs the ``serve`` extra."""
