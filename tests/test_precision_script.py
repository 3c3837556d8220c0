"""scripts/precision.py: fingerprints, the seeded sample and the report, on a tiny fake
findings list (no download, no logcheck run)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("precision_script", REPO / "scripts" / "precision.py")
precision = importlib.util.module_from_spec(_spec)
sys.modules["precision_script"] = precision
_spec.loader.exec_module(precision)

SOURCE = {
    "pkg/a.py": ["import logging", "def f(y):", "    logging.info(f'x {y}')", "    logging.info(f'x {y}')",
                 "print(1)", "class C:", "    def m(self, y):", "        logging.info(", "            f'x {y}'",
                 "        )"],
    "pkg/b.py": ["print(2)"],
}


def diag(path, row, code, column=1):
    return {"path": path, "row": row, "column": column, "end_row": row, "code": code, "message": f"{code} says so"}


def findings(diags, version="1.0"):
    return precision.make_findings("proj", version, diags, lambda rel: SOURCE[rel])


def test_fingerprint_has_the_stripped_line_and_no_line_number():
    [f] = findings([diag("pkg/a.py", 5, "LC401")])
    assert f.key == "proj==1.0:pkg/a.py::LC401:print(1)"
    assert f.row == 5


def test_fingerprint_has_the_scope_and_the_lines_of_a_multi_line_finding():
    [f] = findings([dict(diag("pkg/a.py", 8, "LC201"), end_row=10)])
    assert f.key == "proj==1.0:pkg/a.py:C.m:LC201:logging.info( f'x {y}' )"


def test_identical_lines_are_told_apart_by_order_and_survive_a_shift():
    before = findings([diag("pkg/a.py", 4, "LC201"), diag("pkg/a.py", 3, "LC201")])
    assert [f.key for f in before] == ["proj==1.0:pkg/a.py:f:LC201:logging.info(f'x {y}')",
                                       "proj==1.0:pkg/a.py:f:LC201:logging.info(f'x {y}')#2"]
    assert [f.row for f in before] == [3, 4]
    # the same two findings after two lines were inserted above them
    shifted = precision.make_findings("proj", "1.0", [diag("pkg/a.py", 5, "LC201"), diag("pkg/a.py", 6, "LC201")],
                                      lambda rel: ["", ""] + SOURCE[rel])
    assert [f.key for f in shifted] == [f.key for f in before]


def test_a_file_that_does_not_parse_has_no_scopes():
    [f] = precision.make_findings("proj", "1.0", [diag("bad.py", 2, "LC401")], lambda rel: ["def (:", "print(1)"])
    assert f.key == "proj==1.0:bad.py::LC401:print(1)"


def test_another_version_is_another_finding():
    [old] = findings([diag("pkg/b.py", 1, "LC401")], version="1.0")
    [new] = findings([diag("pkg/b.py", 1, "LC401")], version="2.0")
    assert old.key != new.key


def fake_findings(count, code="LC401"):
    return [precision.Finding("proj", "1.0", f"m{i}.py", "", code, "print(1)", 1, 1, 1, "m") for i in range(count)]


def test_sample_is_capped_per_rule_seeded_and_order_independent():
    many = fake_findings(40) + fake_findings(3, code="LC201")
    sample = precision.draw_sample(many, per_rule=15, seed="s")
    assert {code: len(group) for code, group in sample.items()} == {"LC201": 3, "LC401": 15}
    again = precision.draw_sample(list(reversed(many)), per_rule=15, seed="s")
    assert [f.key for f in again["LC401"]] == [f.key for f in sample["LC401"]]
    other_seed = precision.draw_sample(many, per_rule=15, seed="t")
    assert {f.key for f in other_seed["LC401"]} != {f.key for f in sample["LC401"]}


def test_removing_findings_keeps_the_rest_of_the_sample():
    many = fake_findings(40)
    sample = precision.draw_sample(many, per_rule=15, seed="s")["LC401"]
    dropped = {sample[0].key, sample[5].key}
    after = precision.draw_sample([f for f in many if f.key not in dropped], per_rule=15, seed="s")["LC401"]
    kept = {f.key for f in sample} - dropped
    assert kept <= {f.key for f in after}
    assert len(after) == 15


RULES = {"LC201": precision.Rule("LC201", "fstring-message", True),
         "LC401": precision.Rule("LC401", "print-call", True),
         "LC999": precision.Rule("LC999", "never-reported", False)}


def test_report_counts_verdicts_of_the_sample_and_lists_gone_ones(tmp_path):
    current = findings([diag("pkg/a.py", 3, "LC201"), diag("pkg/a.py", 4, "LC201"), diag("pkg/a.py", 5, "LC401"),
                        diag("pkg/b.py", 1, "LC401")])
    by_key = {f.key: f for f in current}
    entries = [
        precision.verdict_entry(by_key["proj==1.0:pkg/a.py:f:LC201:logging.info(f'x {y}')"], "true", "eager"),
        precision.verdict_entry(by_key["proj==1.0:pkg/a.py:f:LC201:logging.info(f'x {y}')#2"], "false", "wrong"),
        precision.verdict_entry(by_key["proj==1.0:pkg/b.py::LC401:print(2)"], "debatable", "maybe"),
        # a finding the current code does not report any more
        {"project": "proj", "version": "1.0", "path": "pkg/old.py", "scope": "", "code": "LC401", "line": "print(3)",
         "verdict": "false", "reason": "fixed since"},
    ]
    path = tmp_path / "verdicts.json"
    precision.save_verdicts(path, entries)
    verdicts = precision.load_verdicts(path)
    rows, gone = precision.tabulate(current, precision.draw_sample(current), verdicts, RULES)
    table = {r.rule.code: (r.findings, r.sampled, r.true, r.false, r.debatable, r.unjudged) for r in rows}
    assert table == {"LC201": (2, 2, 1, 1, 0, 0), "LC401": (2, 2, 0, 0, 1, 1)}
    assert [r.precision for r in rows] == [0.5, None]
    assert [v.key for v in gone] == ["proj==1.0:pkg/old.py::LC401:print(3)"]
    text = precision.render_table(rows)
    assert "| LC201 | fstring-message | on | 2 | 2 | 1 | 1 | 0 | 0 | 50% |" in text
    assert "| LC401 | print-call | on | 2 | 2 | 0 | 0 | 1 | 1 | n/a |" in text


def test_an_unknown_verdict_is_refused(tmp_path):
    path = tmp_path / "verdicts.json"
    path.write_text(json.dumps([{"project": "p", "version": "1", "path": "a.py", "scope": "", "code": "LC401",
                                 "line": "print(1)", "verdict": "yes", "reason": "r"}]))
    with pytest.raises(SystemExit, match="verdict 'yes' is not one of true, false, debatable"):
        precision.load_verdicts(path)


def test_the_table_goes_between_the_markers_only():
    doc = f"intro\n{precision.TABLE_BEGIN}\nold table\n{precision.TABLE_END}\noutro\n"
    out = precision.replace_between_markers(doc, "new table\n")
    assert out == f"intro\n{precision.TABLE_BEGIN}\nnew table\n{precision.TABLE_END}\noutro\n"


# -- rounds --------------------------------------------------------------------------------

def test_the_first_round_keeps_its_projects_seed_markers_and_saved_run(tmp_path):
    first = precision.ROUNDS[precision.FIRST_ROUND]
    assert (first.projects, first.seed, first.per_rule) == (precision.PROJECTS, precision.SEED, precision.PER_RULE)
    assert first.markers() == (precision.TABLE_BEGIN, precision.TABLE_END)
    assert first.saved_run(tmp_path) == tmp_path / "precision-run.json"
    assert not first.acceptance and not first.off_per_rule


def test_a_later_round_has_its_own_projects_seed_markers_and_saved_runs(tmp_path):
    from bench import corpus
    later = precision.ROUNDS["first-look-3"]
    earlier = precision.ROUNDS[precision.FIRST_ROUND]
    # a first look: none of its projects is judged in another round or used by the benchmarks
    assert not set(later.projects) & set(earlier.projects)
    assert not set(later.projects) & set(corpus.PINS)
    assert later.seed != earlier.seed
    markers = {earlier.markers(), later.markers(), later.markers(all_rules=True)}
    assert len(markers) == 3
    runs = {earlier.saved_run(tmp_path), later.saved_run(tmp_path), later.saved_run(tmp_path, all_rules=True)}
    assert len(runs) == 3


def test_rounds_are_selected_by_name_in_their_order():
    names = list(precision.ROUNDS)
    assert [r.name for r in precision.selected_rounds(None)] == names
    assert [r.name for r in precision.selected_rounds(["first-look-3"])] == ["first-look-3"]
    assert [r.name for r in precision.selected_rounds(list(reversed(names)))] == names
    # only rounds that sample the off-by-default rules take part in an --all-rules run
    assert [r.name for r in precision.selected_rounds(None, all_rules=True)] == ["first-look-3"]
    with pytest.raises(SystemExit, match="none of the selected rounds"):
        precision.selected_rounds([precision.FIRST_ROUND], all_rules=True)


def test_an_unknown_round_is_refused_before_anything_runs(capsys):
    with pytest.raises(SystemExit) as exit_:
        precision.main(["--report", "--round", "no-such-round"])
    assert exit_.value.code == 2
    assert "invalid choice: 'no-such-round'" in capsys.readouterr().err


def test_each_round_writes_only_its_own_table():
    later = precision.ROUNDS["first-look-3"]
    (b1, e1), (b2, e2) = precision.ROUNDS[precision.FIRST_ROUND].markers(), later.markers()
    doc = f"{b1}\nold first\n{e1}\nmiddle\n{b2}\nold later\n{e2}\n"
    out = precision.replace_between_markers(doc, "new later", b2, e2)
    assert out == f"{b1}\nold first\n{e1}\nmiddle\n{b2}\nnew later\n{e2}\n"
    with pytest.raises(SystemExit, match="markers"):
        precision.replace_between_markers("no markers here", "x", *later.markers(all_rules=True))


def test_acceptance_counts_debatable_findings_against_the_rule():
    row = precision.Row(RULES["LC201"], findings=10, sampled=4, true=2, false=0, debatable=2)
    assert (row.precision, row.acceptance) == (1.0, 0.5)
    assert "| LC201 | fstring-message | on | 10 | 4 | 2 | 0 | 2 | 0 | 100% | 50% |" in precision.render_table([row], True)
    assert precision.render_table([row]).splitlines()[2].endswith("| 100% |")


def test_a_run_counts_only_the_verdicts_of_its_projects_and_its_rules():
    rules = {"LC201": RULES["LC201"], "LC999": RULES["LC999"]}
    round_ = precision.Round("r", {"proj": "1.0"}, "seed", 10, off_per_rule=5)
    verdicts = {k: precision.Verdict(k, code, "true", "r") for k, code in [
        ("proj==1.0:a.py::LC201:x", "LC201"), ("proj==1.0:a.py::LC999:x", "LC999"),
        ("proj==2.0:a.py::LC201:x", "LC201"), ("other==1.0:a.py::LC201:x", "LC201")]}
    assert set(precision.verdicts_of_run(verdicts, round_, rules, False)) == {"proj==1.0:a.py::LC201:x"}
    assert set(precision.verdicts_of_run(verdicts, round_, rules, True)) == {"proj==1.0:a.py::LC999:x"}
    assert len(precision.verdicts_of_run(verdicts, round_, {}, False)) == 2
    found = fake_findings(2, "LC201") + fake_findings(3, "LC999")
    assert [f.code for f in precision.off_by_default(found, rules)] == ["LC999"] * 3


# -- recall against ruff --------------------------------------------------------------------

def test_ruff_recall_counts_a_peer_finding_reported_in_the_same_statement():
    peers = precision.load_compare_peers()
    a, b = Path("/p/a.py"), Path("/p/b.py")
    ruff = [peers.Finding("ruff", "G004", a, 3, "f"), peers.Finding("ruff", "G004", a, 9, "f"),
            peers.Finding("ruff", "G201", b, 2, "e"), peers.Finding("ruff", "S110", b, 5, "not a logging rule")]
    mine = [peers.Finding("logcheck", "LC201", a, 4, "m"),    # same statement (rows 3-4) as ruff's row 3
            peers.Finding("logcheck", "LC305", a, 9, "m"),    # same place, but a code G004 does not map to
            peers.Finding("logcheck", "LC305", b, 2, "m")]
    statement = {(a, 3): (3, 4), (a, 4): (3, 4)}
    rows, missed = precision.ruff_recall_rows(ruff, mine, lambda path, row: statement.get((path, row), (row, row)),
                                              peers.GROUPS)
    assert [(r.peer_code, r.lc_codes, r.peer, r.also) for r in rows] == [("G004", ("LC201",), 2, 1),
                                                                        ("G201", ("LC305",), 1, 1)]
    assert [(f.code, f.row) for f in missed] == [("G004", 9)]
    table = precision.render_recall(rows)
    assert "| G004 | LC201 | 2 | 1 | 50% |" in table
    assert "| **all G and LOG** | | 3 | 2 | 67% |" in table


def test_a_preview_rule_is_marked_in_the_table_and_counted_with_the_default_rules():
    rules = {"LC304": precision.Rule("LC304", "exception-outside-handler", True, preview=True),
             "LC401": precision.Rule("LC401", "print-call", False)}
    current = findings([diag("pkg/a.py", 3, "LC304"), diag("pkg/a.py", 5, "LC401")])
    rows, _ = precision.tabulate(current, precision.draw_sample(current), {}, rules)
    assert "| LC304 | exception-outside-handler | preview | 1 | 1 | 0 | 0 | 0 | 1 | n/a |" in precision.render_table(rows)
    # the off-by-default run (`--all-rules`) samples LC401 only, not the preview rule
    assert [f.code for f in precision.off_by_default(current, rules)] == ["LC401"]


def test_the_preview_group_is_read_from_the_checkout():
    from logcheck.rules.preview import PREVIEW

    assert precision.preview_codes(precision.REPO)[0] == set(PREVIEW)
    rules = precision.load_rules(precision.REPO)
    assert {code for code, rule in rules.items() if rule.preview} == set(PREVIEW)


# -- groups of projects (the families round) --------------------------------------------------

def grouped_findings():
    return ([precision.Finding("lg", "1.0", f"m{i}.py", "", "LC201", "x", 1, 1, 1, "m") for i in range(30)]
            + [precision.Finding("sl", "1.0", f"m{i}.py", "", "LC201", "x", 1, 1, 1, "m") for i in range(3)])


def test_a_round_with_groups_samples_each_rule_per_group():
    round_ = precision.Round("r", {"lg": "1.0", "sl": "1.0"}, "seed", 10, groups={"lg": "loguru", "sl": "structlog"})
    found = grouped_findings()
    sample = precision.draw_sample(found, round_.per_rule, round_.seed, round_.group_of)
    assert {key: len(group) for key, group in sample.items()} == {"LC201 loguru": 10, "LC201 structlog": 3}
    # without groups the 3 structlog findings would share the rule's 10 places with 30 others
    assert set(precision.draw_sample(found, 10, "seed")) == {"LC201"}
    first = sample["LC201 structlog"][0]
    verdicts = {first.key: precision.Verdict(first.key, "LC201", "false", "r")}
    rows, _ = precision.tabulate(found, sample, verdicts, RULES, round_.group_of)
    assert [(r.group, r.findings, r.sampled, r.false, r.unjudged) for r in rows] == [("loguru", 30, 10, 0, 10),
                                                                                      ("structlog", 3, 3, 1, 2)]
    text = precision.render_table(rows, acceptance=True)
    assert text.splitlines()[0].startswith("| rule | name | projects | default |")
    assert "| LC201 | fstring-message | structlog | on | 3 | 3 | 0 | 1 | 0 | 2 | 0% | 0% |" in text


def test_a_preview_rule_is_labelled_preview():
    rule = precision.Rule("LC601", "secret-in-log", True, preview=True)
    assert "| LC601 | secret-in-log | preview | 1 | 0 |" in precision.render_table([precision.Row(rule, findings=1)])


def test_the_families_round_is_a_first_look_with_preview_on():
    from bench import corpus
    families = precision.ROUNDS["families-1"]
    others = [r for name, r in precision.ROUNDS.items() if name != "families-1"]
    assert not any(set(families.projects) & set(r.projects) for r in others)
    assert not set(families.projects) & set(corpus.PINS)
    assert families.preview and not any(r.preview for r in others)
    # every project is sampled in its library's group, and there are at least three of each
    assert set(families.groups) == set(families.projects)
    assert sorted(set(families.groups.values())) == ["loguru", "structlog"]
    assert all(list(families.groups.values()).count(lib) >= 3 for lib in ("loguru", "structlog"))


def test_a_rule_on_a_family_it_reaches_only_in_preview_is_labelled_preview_on_that_row():
    rule = precision.Rule("LC201", "fstring-message", True, preview_families=frozenset({"loguru"}))
    text = precision.render_table([precision.Row(rule, "loguru", findings=2), precision.Row(rule, "structlog", findings=1)])
    assert "| LC201 | fstring-message | loguru | preview | 2 |" in text
    assert "| LC201 | fstring-message | structlog | on | 1 |" in text
