"""Render the results as the README's table, between two marker comments."""

from __future__ import annotations

from pathlib import Path
from typing import Any

START = "<!-- bench:table:start -->"
END = "<!-- bench:table:end -->"


def _n(value: float | None, digits: int = 0) -> str:
    """Format a number with thousands separators, or a dash when absent."""
    return "—" if value is None else f"{value:,.{digits}f}"


def _ok(flag: bool | None) -> str:
    """Render a target check."""
    return {True: "met", False: "**missed**", None: "not measured"}[flag]


def render(result: dict[str, Any]) -> str:
    """Return the Markdown table (with the machine line) for one results document."""
    m = result["machine"]
    t = result["in_process"]["throughput_400_sentences"]
    lat = result["in_process"]["latency"]
    sc = result["scaling"]
    peer = result["peer"]
    http = result["http"]
    ok = result["targets"]
    lines = [
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB, {m['os']}, "
        f"Python {m['python']}; load average {m['load_average_at_start'][0]} at the start "
        f"(other jobs were running); model {result['model']['name']} "
        f"{result['model']['version']}; articles from {result['settings']['corpus']} (mean "
        f"{result['settings']['corpus_mean_sentence_chars']} characters per sentence); one BLAS "
        "thread in process. Medians unless a percentile is named.",
        "",
        "| Figure | Measured | Baseline (same run) | Ratio | Target |",
        "|---|---|---|---|---|",
        f"| Scoring, 400-sentence article, sentences/s per core | {_n(t['score_sentences_per_second'])}"
        f" | segmentation alone: {_n(t['floor_sentences_per_second'])} | score/floor "
        f"{result['score_floor_ratio']}× | ≥ 10,000; ≤ 3× ({_ok(ok['sentences_per_second_per_core'])};"
        f" {_ok(ok['score_floor_ratio'])}) |",
        f"| … with explanations | {_n(t['score_explain_sentences_per_second'])} | without: "
        f"{_n(t['score_sentences_per_second'])} | "
        f"{t['score_explain_median_ms'] / t['score_median_ms']:.1f}× the cost | ≥ 3,000 "
        f"({_ok(ok['sentences_per_second_per_core_explain'])}) |",
    ]
    for size in (40, 400):
        row = lat[f"{size}_sentences"]
        lines.append(
            f"| {row['sentences']}-sentence article, p50 / p99 | {row['score']['p50_ms']:.2f} / "
            f"{row['score']['p99_ms']:.2f} ms (explain {row['score_explain']['p50_ms']:.2f} / "
            f"{row['score_explain']['p99_ms']:.2f}) | floor {row['floor']['p50_ms']:.2f} / "
            f"{row['floor']['p99_ms']:.2f} ms | {row['score_floor_ratio']}× | "
            + (f"p99 < 10 ms ({_ok(ok['latency_40_p99_ms'])})" if size == 40 else "—")
            + " |"
        )
    per = ", ".join(f"{r['sentences']:,}: {r['us_per_sentence']:.0f} µs" for r in sc["rows"])
    lines.append(
        f"| Scaling, cost per sentence (article length: µs) | {per} | linear fit "
        f"r² = {sc['fit_r2']} | spread {sc['per_sentence_cost_spread']}× | linear |"
    )
    big = sc["max_article"]
    lines.append(
        f"| {big['chars']:,}-character article ({big['sentences']:,} sentences) | "
        f"{big['median_ms']:.1f} ms (explain {big['explain_median_ms']:.1f} ms) | — | "
        f"{1000 / big['median_ms']:.0f}× under 1 s | < 1 s |"
    )
    if peer.get("measured"):
        lines.append(
            f"| MiniLM peer, sentences/s ({peer['torch_threads']} torch threads) | "
            f"{_n(peer['sentences_per_second'])} | shipped model: "
            f"{_n(t['score_sentences_per_second'])} (1 core) | shipped "
            f"{result['peer_speed_ratio']}× faster | ≥ 50× ({_ok(ok['peer_speed_ratio'])}) |"
        )
    else:
        lines.append(f"| MiniLM peer | not measured ({peer.get('reason')}) | — | — | ≥ 50× |")
    f1 = peer.get("gold_test_f1", {})
    if f1.get("source"):
        lines.append(
            f"| Gold-test macro F1 | shipped {_n(f1['model']['macro_f1'], 3)} | peer "
            f"{_n(f1['peer']['macro_f1'], 3)} | — | from {f1['source']} |"
        )
    if http:
        s, h = http["score"], http["healthz"]
        lines += [
            f"| HTTP POST /score (example article), {http['workers']} sync workers, "
            f"{s['connections']} connections, {s['duration_s']:.0f} s, {s['generator']} | "
            f"{_n(s['rps'])} req/s; p50 {s['p50_ms']:.1f} / p99 {s['p99_ms']:.1f} / p99.9 "
            f"{s['p999_ms']:.1f} ms; {s['errors']} errors | GET /healthz: {_n(h['rps'])} req/s, "
            f"p99 {h['p99_ms']:.1f} ms | {s['rps'] / h['rps']:.2f} of the floor | ≥ 200 req/s "
            f"({_ok(ok['http_rps'])}), p99 < 50 ms ({_ok(ok['http_p99_ms'])}), no errors "
            f"({_ok(ok['http_errors'])}) |",
        ]
        workers = http["memory_after_load"]["workers"]
        rss = ", ".join(f"{w['rss_mib']:.0f}" for w in workers)
        pss = ", ".join(f"{w['pss_mib']:.0f}" for w in workers)
        lines.append(
            f"| Memory per worker after the load, MiB | RSS {rss}; PSS {pss} | master RSS "
            f"{http['memory_after_load']['master']['rss_mib']:.0f} | PSS/RSS shows the "
            "copy-on-write sharing | — |"
        )
        lines.append(
            f"| Start-up: `gunicorn` to first 200 on /readyz; model load | "
            f"{http['startup_to_first_200_s']:.2f} s; {result['in_process']['model_load_s']:.3f} s"
            " | — | — | — |"
        )
    return "\n".join(lines)


def write_readme(readme: Path, result: dict[str, Any]) -> None:
    """Replace the table between the markers in readme (append the markers if missing)."""
    text = readme.read_text(encoding="utf-8") if readme.is_file() else ""
    block = f"{START}\n{render(result)}\n{END}"
    if START in text and END in text:
        head, rest = text.split(START, 1)
        text = head + block + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + ("\n\n" if text else "") + block + "\n"
    readme.write_text(text, encoding="utf-8")
