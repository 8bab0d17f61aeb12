"""Generate or check the committed OpenAPI document: ``python -m service.api.openapi [--check]``.

The document is generated from the app's marshmallow schemas by flask-smorest/apispec, with no
model loaded (it does not depend on one), and written with sorted keys so diffs stay small.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

DEFAULT_OUTPUT = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"


def generate_spec() -> dict[str, Any]:
    """Return the OpenAPI document the app serves at /openapi.json."""
    from service import create_app

    app = create_app({"MODEL_DIR": None, "API_KEYS": (), "LOG_LEVEL": "error"})
    spec: dict[str, Any] = app.extensions["flask-smorest"]["apis"][""]["ext_obj"].spec.to_dict()
    return spec


def render_spec(spec: dict[str, Any]) -> str:
    """Return the document as committed: indented, sorted keys, trailing newline."""
    return json.dumps(spec, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write the document (default docs/openapi.json), or with --check fail when it is stale."""
    parser = argparse.ArgumentParser(prog="python -m service.api.openapi", description=__doc__)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="file to write")
    parser.add_argument(
        "--check", action="store_true", help="exit 1 when the file differs from the app's spec"
    )
    args = parser.parse_args(argv)
    rendered = render_spec(generate_spec())
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.is_file() else ""
        if current != rendered:
            print(f"{args.output} is stale; run: python -m service.api.openapi", file=sys.stderr)
            return 1
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(rendered, encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
