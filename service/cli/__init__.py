"""The ``misinfo-signals`` command line: thin adapters over service.core."""

from __future__ import annotations

import click

from service.cli.check import check
from service.cli.score import score
from service.cli.serve import serve


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="misinfo-signals")
def main() -> None:
    """Score news text for misinformation signals."""


main.add_command(serve)
main.add_command(score)
main.add_command(check)
