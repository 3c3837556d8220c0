"""Entry point: `python -m shop orders.json` (print is fine in a command-line entry point)."""

import json
import logging
import sys

from shop import orders


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    if not argv:
        print("usage: python -m shop ORDERS.json", file=sys.stderr)
        return 2
    with open(argv[0], encoding="utf-8") as fh:
        data = json.load(fh)
    results = orders.submit_all([orders.Order(**o) for o in data])
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
