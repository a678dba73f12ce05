"""`python -m newsgraph.spark INPUT... --output DIR`, and the application file for
spark-submit (the installed package's path to this file; see docs/scaling.md)."""

from __future__ import annotations

import sys


def main() -> None:
    from newsgraph.cli import app

    app(args=["spark", *sys.argv[1:]], prog_name="newsgraph")


if __name__ == "__main__":
    main()
