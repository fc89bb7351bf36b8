"""``python -m sandbox …`` is the ``sandbox`` command."""

from sandbox.cli.app import main

main()
