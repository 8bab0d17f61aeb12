"""Tests for the dataset loaders and the training table.

Each test writes a tiny dataset in the real on-disk format into tmp_path; the texts are
written for these tests and never read from the shared data directory.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import training.loaders.annotations as own_annotations
from training.labels import ANONYMOUS, CHECKWORTHY, HEDGING, NO_EVIDENCE, UNVERIFIED
from training.loaders import (
    DEFAULT_DATASETS,
    apply_annotations,
    claimbuster,
    clef,
    conll2010,
    load_all,
    merge_conll_into_szeged,
    polnear,
    ptc,
    szeged,
)
from training.loaders.__main__ import main
from training.table import (
    Row,
    count_labels,
    format_counts,
    hash_fraction,
    split_by_hash,
    text_sha1,
    train_dev_by_hash,
)

# --------------------------------------------------------------------------------------------
# fixture builders: one per dataset, each in its published format
# --------------------------------------------------------------------------------------------

POLNEAR_TEXT = (
    "Bridge to reopen.\n\n"
    "Mayor Jana Novak said the bridge will reopen in March. "
    "A senior official said the convoy was turned back.\n\n"
    "The ministry provided no evidence for the claim. The river froze early this year.\n"
)


def _span(text: str, piece: str, after: int = 0) -> str:
    """Return "start end" BRAT offsets of piece in text."""
    at = text.index(piece, after)
    return f"{at} {at + len(piece)}"


def write_polnear(root: Path, stem: str = "paper_2016-01-01_bridge", split: str = "train") -> Path:
    """Write one PolNeAR article and its BRAT attribution file."""
    base = root / "polnear" / "data" / split
    (base / "text").mkdir(parents=True, exist_ok=True)
    (base / "attributions").mkdir(parents=True, exist_ok=True)
    (base / "text" / f"{stem}.txt").write_text(POLNEAR_TEXT, encoding="utf-8", newline="")
    t = POLNEAR_TEXT
    official = t.index("A senior official")
    lines = [
        f"T1\tSource {_span(t, 'Mayor Jana Novak')}\tMayor Jana Novak",
        f"T2\tCue {_span(t, 'said')}\tsaid",
        f"T3\tContent {_span(t, 'the bridge will reopen in March')}\tthe bridge",
        f"T4\tAttribution {_span(t, 'said')}\tsaid",
        "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1",
        f"T5\tSource {_span(t, 'A senior official')}\tA senior official",
        f"T6\tCue {_span(t, 'said', official)}\tsaid",
        f"T7\tContent {_span(t, 'the convoy was turned back')}\tthe convoy\nwas turned back",
        f"T8\tAttribution {_span(t, 'said', official)}\tsaid",
        "E2\tAttribution:T8 Cue:T6 Content:T7 Source:T5",
        "#1\tAnnotatorNotes T5\tunnamed",
    ]
    path = base / "attributions" / f"{stem}_ab12.ann"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_szeged(root: Path, name: str = "wiki.xml") -> None:
    """Write a Szeged XML file with a title, a hedged, a plain and a doxastic-only sentence."""
    folder = root / "szeged_uncertainty"
    folder.mkdir(parents=True, exist_ok=True)
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?><Annotation><DocumentSet>'
        '<Document type="x"><DocID type="FILENAME">doc_one</DocID>'
        '<DocumentPart type="Title"><Sentence id="S1.1">A Title</Sentence></DocumentPart>'
        '<DocumentPart type="Text">'
        '<Sentence id="S1.2">The lake <ccue type="speculation_modal_probable_">may</ccue>'
        "  freeze.</Sentence>"
        '<Sentence id="S1.3">The lake is deep.</Sentence>'
        '<Sentence id="S1.4">It is <ccue type="speculation_hypo_doxastic _">considered</ccue>'
        " old.</Sentence>"
        "</DocumentPart></Document></DocumentSet></Annotation>"
    )
    (folder / name).write_text(xml, encoding="utf-8")


def write_conll(root: Path) -> None:
    """Write the CoNLL-2010 csv (with its BOM) and a weasel cue list with its log lines."""
    folder = root / "conll2010_wiki"
    folder.mkdir(parents=True, exist_ok=True)
    rows = [
        '"1","The lake is deep."',
        '"-1","Some critics say the lake is shrinking."',
        '"-1","The lake may be shrinking."',
    ]
    (folder / "uncertainty-conll2010.csv").write_text(
        "\ufeff" + "\n".join(rows) + "\n", encoding="utf-8"
    )
    (folder / "trainWeasels.txt").write_text(
        "Loading sentences from: train.pickle\nOk.\n\nUncertain sentences: 2\n"
        "[(u'some critics', 2), (u'may', 5)]\n",
        encoding="utf-8",
    )


PTC_TEXT = (
    "Leaders clash over dam\n\n"
    "The traitors wrecked the dam, the mayor said.\n\n"
    "The ministry offered no proof of the sabotage.\n"
)


def write_ptc(root: Path) -> None:
    """Write one PTC train article, its technique labels, and one dev article."""
    folder = root / "ptc_semeval2020"
    (folder / "train-articles").mkdir(parents=True, exist_ok=True)
    (folder / "dev-articles").mkdir(parents=True, exist_ok=True)
    (folder / "train-articles" / "article7.txt").write_text(PTC_TEXT, encoding="utf-8", newline="")
    (folder / "dev-articles" / "article8.txt").write_text("Dev text.\n", encoding="utf-8")
    start = PTC_TEXT.index("traitors")
    (folder / "train-task2-TC.labels").write_text(
        f"7\tName_Calling,Labeling\t{start}\t{start + 8}\n", encoding="utf-8"
    )


def write_claimbuster(root: Path) -> None:
    """Write ClaimBuster two_class train.json and test.json."""
    folder = root / "claimbuster" / "two_class"
    folder.mkdir(parents=True, exist_ok=True)
    train = [{"sentence_id": i, "label": i % 2, "text": f"Claim number {i}."} for i in range(20)]
    test = [{"sentence_id": 100, "label": 1, "text": "Taxes rose 4 percent."}]
    (folder / "train.json").write_text(json.dumps(train), encoding="utf-8")
    (folder / "test.json").write_text(json.dumps(test), encoding="utf-8")


def write_clef(root: Path) -> None:
    """Write CLEF 2019 csv files and CLEF 2020 task 5 / task 1 tsv files."""
    c19 = root / "clef_checkthat" / "clef19"
    t5 = root / "clef_checkthat" / "clef20" / "task5"
    t1 = root / "clef_checkthat" / "clef20" / "task1"
    for folder in (c19, t5, t1):
        folder.mkdir(parents=True, exist_ok=True)
    header = "line_number,speaker,text,label,file_name\n"
    (c19 / "CT19-T1-Training.csv").write_text(
        header + '1,A,"Good evening, all.",0,d1.tsv\n2,B,Jobs fell 3 percent.,1,d1.tsv\n',
        encoding="utf-8",
    )
    (c19 / "CT19-T1-Test.csv").write_text(
        header + "1,C,Exports doubled.,1,d2.tsv\n", encoding="utf-8"
    )
    (t5 / "train.tsv").write_text(
        "text\tlabel\nJobs fell 3 percent.\t1\nExports doubled.\t1\nWages rose.\t1\n",
        encoding="utf-8",
    )
    (t5 / "test-gold.tsv").write_text("text\tlabel\nThank you.\t0\n", encoding="utf-8")
    head = "topic_id\ttweet_id\ttweet_url\ttweet_text\tclaim\t"
    (t1 / "training_v2.tsv").write_text(
        head + 'check_worthiness\nc\t1\tu\tA "quoted" tweet.\t1\t1\n', encoding="utf-8"
    )
    (t1 / "dev_v2.tsv").write_text(head + "check_worthiness\nc\t2\tu\tDev tweet.\t0\t0\n")
    (t1 / "test-gold.tsv").write_text(head + "claim_worthiness\nc\t3\tu\tTest tweet.\t1\t1\n")


def write_annotation(repo: Path, records: list[dict[str, object]]) -> None:
    """Write training/annotations/round0.test.jsonl."""
    folder = repo / "training" / "annotations"
    folder.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(r) for r in records]
    (folder / "round0.test.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def annotation_for(
    doc: str, text: str, sentence: str, **spans: list[list[int]]
) -> dict[str, object]:
    """Build one annotation record for a sentence of an article text."""
    start = text.index(sentence)
    labels = {
        signal: spans.get(signal, []) for signal in (ANONYMOUS, UNVERIFIED, NO_EVIDENCE, HEDGING)
    }
    return {
        "doc": doc,
        "start": start,
        "end": start + len(sentence),
        "sha1": text_sha1(sentence),
        "labels": labels,
    }


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """Write every dataset's fixture into one data directory."""
    root = tmp_path / "data"
    write_polnear(root)
    write_polnear(root, "paper_2016-10-30_gold", split="dev")
    write_szeged(root)
    write_szeged(root, "factbank.xml")
    write_conll(root)
    write_ptc(root)
    write_claimbuster(root)
    write_clef(root)
    return root


@pytest.fixture
def repo_dir(tmp_path: Path) -> Path:
    """Return an empty repository root (no annotations)."""
    repo = tmp_path / "repo"
    repo.mkdir()
    return repo


# --------------------------------------------------------------------------------------------
# table
# --------------------------------------------------------------------------------------------


def test_row_drops_unknown_labels() -> None:
    row = Row("x", "", "d", "doc", "train", {ANONYMOUS: 1, HEDGING: None})
    assert dict(row.labels) == {ANONYMOUS: 1}
    assert row.label(HEDGING) is None


def test_row_rejects_other_label_values() -> None:
    with pytest.raises(ValueError, match="labels must be"):
        Row("x", "", "d", "doc", "train", {ANONYMOUS: 2})


def test_row_with_labels_overrides_and_erases() -> None:
    row = Row("x", "", "d", "doc", "train", {ANONYMOUS: 1, HEDGING: 0})
    assert dict(row.with_labels({ANONYMOUS: 0, HEDGING: None}).labels) == {ANONYMOUS: 0}


def test_rows_are_hashable() -> None:
    row = Row("x", "", "d", "doc", "train", {ANONYMOUS: 1})
    assert hash(row) == hash(Row("x", "", "d", "doc", "train", {ANONYMOUS: 0}))


@pytest.mark.parametrize("key", ["polnear/train/a", "ptc/train/article1", ""])
def test_split_by_hash_is_deterministic(key: str) -> None:
    assert split_by_hash(key) == split_by_hash(key)
    assert 0.0 <= hash_fraction(key) < 1.0


def test_split_by_hash_proportions() -> None:
    splits = [split_by_hash(f"doc{i}") for i in range(4000)]
    assert 0.66 < splits.count("train") / 4000 < 0.74
    assert 0.12 < splits.count("dev") / 4000 < 0.18


def test_train_dev_by_hash_never_gives_test() -> None:
    assert {train_dev_by_hash(f"doc{i}") for i in range(500)} == {"train", "dev"}


def test_count_labels_and_format() -> None:
    rows = [
        Row("a", "", "d", "1", "train", {ANONYMOUS: 1}),
        Row("b", "", "d", "2", "train", {ANONYMOUS: 0}),
        Row("c", "", "d", "3", "train", {}),
    ]
    counts = count_labels(rows)
    assert counts["d", "train", ANONYMOUS] == (1, 1, 1)
    assert "anonymous_sourcing" in format_counts(counts)


# --------------------------------------------------------------------------------------------
# PolNeAR
# --------------------------------------------------------------------------------------------


def test_read_ann_skips_spilled_lines_and_notes(data_dir: Path) -> None:
    path = next((data_dir / "polnear/data/train/attributions").glob("*.ann"))
    attributions = polnear.read_ann(path)
    assert len(attributions) == 2
    assert all(a.source and a.cue and a.content for a in attributions)


def test_read_ann_handles_discontinuous_spans_and_missing_source(tmp_path: Path) -> None:
    path = tmp_path / "x_ab12.ann"
    path.write_text(
        "T1\tContent 0 4;6 9\tab cd\nT2\tCue 10 14\tsaid\nT3\tContent2 20 25\tmore\n"
        "T4\tAttribution 10 14\tsaid\nE1\tAttribution-no-source:T4 Cue:T2 Content:T1 Content2:T3\n",
        encoding="utf-8",
    )
    (att,) = polnear.read_ann(path)
    assert att.source == ()
    assert att.content == ((0, 4), (6, 9), (20, 25))


def test_annotation_files_prefer_the_most_complete_annotator(data_dir: Path) -> None:
    root = data_dir / "polnear/data/train"
    (root / "attributions" / "paper_2016-01-01_bridge_cd34.ann").write_text("", encoding="utf-8")
    chosen = polnear.annotation_files(root)
    assert chosen["paper_2016-01-01_bridge"].name.endswith("_ab12.ann")


def test_polnear_rows_have_exact_offsets_and_context(data_dir: Path) -> None:
    rows = polnear.load(data_dir)
    assert all(POLNEAR_TEXT[r.start : r.end] == r.text for r in rows)
    assert rows[1].prev == rows[0].text
    assert {r.doc for r in rows} == {"polnear/train/paper_2016-01-01_bridge"}


def test_polnear_never_reads_dev(data_dir: Path) -> None:
    assert not any("gold" in r.doc for r in polnear.load(data_dir))


def test_polnear_labels_follow_sources(data_dir: Path) -> None:
    by_text = {r.text: r for r in polnear.load(data_dir)}
    named = by_text["Mayor Jana Novak said the bridge will reopen in March."]
    unnamed = by_text["A senior official said the convoy was turned back."]
    assert (named.label(ANONYMOUS), unnamed.label(ANONYMOUS)) == (0, 1)
    assert unnamed.label(UNVERIFIED) == 1
    assert by_text["The ministry provided no evidence for the claim."].label(NO_EVIDENCE) == 1
    assert by_text["The river froze early this year."].label(NO_EVIDENCE) == 0


def test_polnear_uses_an_injected_splitter(data_dir: Path) -> None:
    class Whole:
        def __init__(self, end: int) -> None:
            self.start, self.end = 0, end

    rows = polnear.load(data_dir, lambda text: [Whole(len(text))])
    assert len(rows) == 1


# --------------------------------------------------------------------------------------------
# Szeged, CoNLL
# --------------------------------------------------------------------------------------------


def test_szeged_skips_titles_and_labels_hedging(data_dir: Path) -> None:
    rows = szeged.load(data_dir)
    wiki = [r for r in rows if r.dataset == "szeged_wiki"]
    assert [r.label(HEDGING) for r in wiki] == [1, 0, None]
    assert wiki[0].text == "The lake may freeze."


def test_szeged_splits_by_document(data_dir: Path) -> None:
    rows = szeged.load(data_dir)
    assert len({(r.doc, r.split) for r in rows if r.dataset == "szeged_wiki"}) == 1


def test_szeged_bio_is_loadable_but_not_default(data_dir: Path) -> None:
    write_szeged(data_dir, "bio_bmc.xml")
    rows = szeged.load(data_dir, {"bio_bmc": "bio_bmc.xml"})
    assert {r.dataset for r in rows} == {"szeged_bio_bmc"}
    assert "szeged_bio_bmc" not in DEFAULT_DATASETS


def test_read_weasel_counts_skips_log_lines(data_dir: Path) -> None:
    counts = conll2010.read_weasel_counts(data_dir / "conll2010_wiki" / "trainWeasels.txt")
    assert counts == {"some critics": 2, "may": 5}


def test_conll_labels_rows(data_dir: Path) -> None:
    rows = conll2010.load(data_dir)
    assert [dict(r.labels) for r in rows] == [
        {ANONYMOUS: 0, HEDGING: 0},
        {ANONYMOUS: 1},
        {},
    ]
    assert all(r.split == split_by_hash(r.doc) for r in rows)


def test_conll_rows_merge_into_matching_szeged_rows(data_dir: Path) -> None:
    wiki_rows = szeged.load(data_dir, {"wiki": "wiki.xml"})
    wiki, rest = merge_conll_into_szeged(wiki_rows, conll2010.load(data_dir))
    deep = next(r for r in wiki if r.text == "The lake is deep.")
    assert dict(deep.labels) == {HEDGING: 0, ANONYMOUS: 0}
    assert "The lake is deep." not in {r.text for r in rest}


# --------------------------------------------------------------------------------------------
# PTC, ClaimBuster, CLEF
# --------------------------------------------------------------------------------------------


def test_ptc_lines_become_rows_with_technique_labels(data_dir: Path) -> None:
    rows = ptc.load(data_dir)
    assert [r.text for r in rows] == [line for line in PTC_TEXT.splitlines() if line]
    assert all(PTC_TEXT[r.start : r.end] == r.text for r in rows)
    assert [r.label("name_calling") for r in rows] == [0, 1, 0]
    assert rows[2].label(NO_EVIDENCE) == 1


def test_ptc_never_reads_dev(data_dir: Path) -> None:
    assert {r.doc for r in ptc.load(data_dir)} == {"ptc/train/article7"}


def test_claimbuster_splits(data_dir: Path) -> None:
    rows = claimbuster.load(data_dir)
    assert [r.split for r in rows if r.doc == "claimbuster/100"] == ["test"]
    assert {r.split for r in rows if r.doc != "claimbuster/100"} <= {"train", "dev"}
    assert all(set(r.labels) == {CHECKWORTHY} for r in rows)


def test_clef19_uses_official_test(data_dir: Path) -> None:
    rows = clef.load_clef19(data_dir)
    assert [r.split for r in rows if r.doc == "clef19/d2.tsv"] == ["test"]
    assert rows[1].prev == "Good evening, all."


def test_clef20_drops_sentences_published_in_2019(data_dir: Path) -> None:
    rows = clef.load_clef20(data_dir)
    assert [r.text for r in rows if r.split != "test"] == ["Wages rose."]


def test_clef20_tweets_read_both_label_columns(data_dir: Path) -> None:
    rows = clef.load_clef20_tweets(data_dir)
    assert [(r.split, r.label(CHECKWORTHY)) for r in rows] == [
        ("train", 1),
        ("dev", 0),
        ("test", 1),
    ]
    assert rows[0].text == 'A "quoted" tweet.'


# --------------------------------------------------------------------------------------------
# project annotations and load_all
# --------------------------------------------------------------------------------------------

DOC = "polnear/train/paper_2016-01-01_bridge"
NAMED = "Mayor Jana Novak said the bridge will reopen in March."


def test_annotations_load_with_sha1_check(data_dir: Path, repo_dir: Path) -> None:
    write_annotation(repo_dir, [annotation_for(DOC, POLNEAR_TEXT, NAMED, hedging=[[0, 5]])])
    (row,) = own_annotations.load(data_dir, repo_dir)
    assert row.text == NAMED
    assert dict(row.labels) == {ANONYMOUS: 0, UNVERIFIED: 0, NO_EVIDENCE: 0, HEDGING: 1}


def test_annotations_reject_drifted_offsets(data_dir: Path, repo_dir: Path) -> None:
    record = annotation_for(DOC, POLNEAR_TEXT, NAMED)
    record["sha1"] = "000000000000"
    write_annotation(repo_dir, [record])
    with pytest.raises(own_annotations.AnnotationError, match="sha1"):
        own_annotations.load(data_dir, repo_dir)


@pytest.mark.parametrize("doc", ["polnear/dev/paper_2016-10-30_gold", "ptc/test/article9"])
def test_annotations_refuse_the_gold_pool(data_dir: Path, repo_dir: Path, doc: str) -> None:
    write_annotation(repo_dir, [annotation_for(doc, POLNEAR_TEXT, NAMED)])
    with pytest.raises(own_annotations.AnnotationError, match="gold-set pool"):
        own_annotations.load(data_dir, repo_dir)


def test_annotations_need_all_core_keys(data_dir: Path, repo_dir: Path) -> None:
    record = annotation_for(DOC, POLNEAR_TEXT, NAMED)
    record["labels"] = {ANONYMOUS: []}
    write_annotation(repo_dir, [record])
    with pytest.raises(own_annotations.AnnotationError, match="must carry"):
        own_annotations.load(data_dir, repo_dir)


def test_load_all_lets_annotations_win(data_dir: Path, repo_dir: Path) -> None:
    write_annotation(
        repo_dir, [annotation_for(DOC, POLNEAR_TEXT, NAMED, anonymous_sourcing=[[0, 5]])]
    )
    rows = [r for r in load_all(data_dir, repo_dir) if r.text == NAMED]
    assert len(rows) == 1
    assert rows[0].dataset == "annotations"
    assert rows[0].label(ANONYMOUS) == 1
    assert rows[0].label(NO_EVIDENCE) == 0  # the annotator's label, not the derived one


def test_apply_annotations_erases_core_labels_of_overlapping_rows() -> None:
    derived = Row(
        "Long sentence.",
        "",
        "ptc",
        "ptc/train/article1",
        "train",
        {ANONYMOUS: 1, "doubt": 1},
        0,
        14,
    )
    note = Row("Long", "", "annotations", "ptc/train/article1", "train", {ANONYMOUS: 0}, 0, 4)
    out = apply_annotations([derived], [note])
    assert dict(out[0].labels) == {"doubt": 1}
    assert out[1] is note


def test_load_all_defaults_cover_every_dataset(data_dir: Path, repo_dir: Path) -> None:
    datasets = {r.dataset for r in load_all(data_dir, repo_dir)}
    expected = {"polnear", "szeged_wiki", "szeged_factbank", "conll2010", "ptc", "claimbuster"}
    assert expected | {"clef19", "clef20", "clef20_tweets"} <= datasets


def test_load_all_never_contains_gold_pool_docs(data_dir: Path, repo_dir: Path) -> None:
    docs = {r.doc for r in load_all(data_dir, repo_dir)}
    assert not any(d.startswith(("polnear/dev/", "ptc/dev/", "ptc/test/")) for d in docs)


def test_load_all_rejects_unknown_dataset(data_dir: Path, repo_dir: Path) -> None:
    with pytest.raises(ValueError, match="unknown datasets"):
        load_all(data_dir, repo_dir, ["nope"])


def test_load_all_can_pick_datasets(data_dir: Path, repo_dir: Path) -> None:
    rows = load_all(data_dir, repo_dir, ["clef20"])
    assert {r.dataset for r in rows} == {"clef20"}


def test_main_prints_the_count_table(
    data_dir: Path, repo_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--data", str(data_dir), "--repo", str(repo_dir), "--datasets", "ptc"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == ["dataset", "split", "signal", "pos", "neg", "unknown"]
    assert "name_calling" in out
