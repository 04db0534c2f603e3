"""``python -m teikit`` runs the command line."""
from .cli import main

main()
