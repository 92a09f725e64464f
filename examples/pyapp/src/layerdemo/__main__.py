"""Entry point: `python -m layerdemo` prints one line and exits 0 when the image works."""

import sys

from layerdemo import sum_squares


def main() -> int:
    result = sum_squares(100)
    if result != 338350:
        print(f"layerdemo FAILED: sum_squares(100) = {result}", file=sys.stderr)
        return 1
    print(f"layerdemo ok: {result} (python {sys.version.split()[0]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
