"""Output formats of ``check``: each renders a Report to one string."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from service.cli.check.formats import github, json_format, rdjsonl, sarif, text
from service.cli.check.run import Report

OutputFormat = Literal["text", "json", "github", "sarif", "rdjsonl"]
Renderer = Callable[[Report, bool], str]

RENDERERS: dict[str, Renderer] = {
    "text": text.render,
    "json": json_format.render,
    "github": github.render,
    "sarif": sarif.render,
    "rdjsonl": rdjsonl.render,
}
