"""One module per input convention; each defines ``CONVENTION`` (see :mod:`..convention`)."""
