"""Command line for training: ``python -m training train|evaluate|select|agreement|counts``."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import click

from service.core.model import DEFAULT_MODEL_DIR

_DATA = click.option(
    "--data",
    "data_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=Path("../shared/data"),
    show_default=True,
    help="Folder holding the research datasets.",
)
_MODEL = click.option(
    "--model-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_MODEL_DIR,
    show_default=True,
    help="Model folder to write (train) or read (evaluate).",
)


@click.group()
def cli() -> None:
    """Train and evaluate the misinfo-signals model."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")


@cli.command()
@_DATA
@_MODEL
def train(data_dir: Path, model_dir: Path) -> None:
    """Train on the train splits, tune on dev, and save model.joblib + metadata.json."""
    from training.train import train as run

    metadata = run(data_dir, model_dir)
    click.echo(
        json.dumps({k: metadata[k] for k in ("name", "version", "sha256", "thresholds")}, indent=2)
    )


@cli.command()
@_DATA
@_MODEL
@click.option("--peer/--no-peer", default=True, help="Also measure the MiniLM peer if installed.")
def evaluate(data_dir: Path, model_dir: Path, peer: bool) -> None:
    """Measure the model and baselines on held-out data; write metrics.json and MODEL_CARD.md."""
    from training.card import render_card
    from training.evaluate import evaluate as run
    from training.evaluate import write_reports

    report = run(data_dir, model_dir, with_peer=peer)
    write_reports(report, model_dir)
    card = render_card(report, model_dir)
    (model_dir / "MODEL_CARD.md").write_text(card, encoding="utf-8")
    click.echo(card)


@cli.command()
@_DATA
@_MODEL
@click.option("--count", default=1800, show_default=True, help="Sentences chosen by uncertainty.")
@click.option("--random-count", default=300, show_default=True, help="Extra random sentences.")
@click.option("--round-name", required=True, help="Sample name recorded in each record.")
@click.option("--seed", default=0, show_default=True, help="Seed of the random extra sentences.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
def select(
    data_dir: Path,
    model_dir: Path,
    count: int,
    random_count: int,
    round_name: str,
    seed: int,
    out: Path,
) -> None:
    """Write the next annotation round's unlabelled candidates (uncertain + random) as JSONL."""
    import random

    from service.core.model import load_model
    from training.active import (
        annotated_keys,
        candidate_pool,
        candidate_records,
        select_uncertain,
    )
    from training.loaders import load_all
    from training.train import REPO

    rows = load_all(data_dir, REPO)
    done = annotated_keys()
    chosen = select_uncertain(load_model(model_dir), rows, count=count, exclude=done)
    taken = done | {(r.doc, r.start, r.end) for r in chosen}
    rest = candidate_pool(rows, taken)
    extra = random.Random(seed).sample(rest, min(random_count, len(rest)))
    records = candidate_records([*chosen, *extra], round_name=round_name)
    out.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    click.echo(f"{len(records)} candidates written to {out}")


@cli.command()
@_DATA
@click.option(
    "--second",
    "second_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Folder of the second annotation (default: training/gold/second).",
)
def agreement(data_dir: Path, second_dir: Path | None) -> None:
    """Print how far the gold dev labels and a second annotator's agree, per core signal."""
    from training.agreement import SECOND_DIR, agreement, format_agreement, read_second
    from training.gold import read_gold

    try:
        results = agreement(
            read_gold("dev", data_dir), read_second(data_dir, second_dir or SECOND_DIR)
        )
    # No shared sentence, a malformed record, an article missing or changed under its offsets.
    except (ValueError, KeyError, OSError) as error:
        click.echo(f"Error: cannot compare the annotations: {error!s}", err=True)
        sys.exit(2)
    click.echo(format_agreement(results))


@cli.command()
@_DATA
def counts(data_dir: Path) -> None:
    """Print positive/negative/unknown counts per dataset, split and signal."""
    from training.loaders import load_all
    from training.table import count_labels, format_counts
    from training.train import REPO

    click.echo(format_counts(count_labels(load_all(data_dir, REPO))))


if __name__ == "__main__":
    cli()
