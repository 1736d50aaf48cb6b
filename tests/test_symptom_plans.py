"""Plans made from symptoms: every ceiling (B6 and caffeine included) holds, recomputed by check."""

from __future__ import annotations

import json

import pytest

import cli


@pytest.fixture(scope="module")
def symptom_plan(tmp_path_factory):
    from click.testing import CliRunner

    out = tmp_path_factory.mktemp("symptoms") / "week.json"
    result = CliRunner().invoke(cli.cli, ["week", "--days", "2", "--symptom", "eyelid twitching",
                                          "--symptom", "tingling around the mouth", "--format", "json",
                                          "-o", str(out)])
    return result, out


def test_plan_raises_the_linked_nutrients_and_prints_red_flags_first(symptom_plan):
    result, out = symptom_plan
    assert result.exit_code in (0, 1), result.output
    lines = result.stderr.splitlines()
    assert lines[0].startswith("SEE A DOCTOR:")
    doc = json.loads(out.read_text())
    # the symptoms raise the floors; the request keeps only what the person marked deficient
    raised = {t["nutrient"] for t in doc["targets"] if t["raised"] == "symptoms"}
    assert {"magnesium_mg", "calcium_mg"} <= raised and doc["request"]["deficient"] == []
    sources = {t["nutrient"]: t["source"] for t in doc["targets"]}
    assert sources["magnesium_mg"].startswith("linked to your symptoms")
    assert doc["notes"][0].startswith("SEE A DOCTOR:")
    assert any(note.startswith("Water:") for note in doc["notes"])


def test_every_ceiling_holds_in_a_plan_made_from_symptoms(symptom_plan):
    from planner import check_plan, load_foods, read_plan

    _, out = symptom_plan
    plan = read_plan(out)
    ceilings = plan.targets.dropna(subset=["max"])
    assert {"vitamin_b6_mg", "caffeine_mg", "calcium_mg", "vitamin_d_mcg"} <= set(ceilings["nutrient"])
    failures = check_plan(plan, load_foods()).failures
    assert failures[failures["check"] == "max"].empty
    for day in plan.days:
        for t in ceilings.itertuples():
            if t.nutrient in day.totals:
                assert day.totals[t.nutrient] <= t.max


def test_a_place_said_with_a_negated_symptom_raises_no_flag_and_no_floor_for_it():
    from click.testing import CliRunner

    text = "my eyelid hasn't twitched, but my calves cramp"
    result = CliRunner().invoke(cli.cli, ["targets", "--symptom", text])
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert f"Read '{text}' as: cramps (calves)." in lines
    assert not any("more than one place" in line or "eyelid)" in line or "the eyelid" in line for line in lines)


@pytest.mark.parametrize("text", ["no cramps, no twitching", "no numbness"])
def test_only_absent_symptoms_are_not_called_unrecognised(text):
    from click.testing import CliRunner

    result = CliRunner().invoke(cli.cli, ["targets", "--symptom", text])
    assert result.exit_code == 0, result.output
    assert "No symptom recognised" not in result.stderr and "try words" not in result.stderr
    assert "naming only symptoms you do not have" in result.stderr
    assert result.stderr.startswith("SEE A DOCTOR: See a doctor if")


def test_a_huge_symptom_text_is_not_echoed_whole():
    from click.testing import CliRunner

    text = ("my calves cramp at night and my eyelid twitches " * 250).strip()
    result = CliRunner().invoke(cli.cli, ["targets", "--symptom", text])
    assert result.exit_code == 0, result.output
    read = next(line for line in result.stderr.splitlines() if line.startswith("Read '"))
    assert read.endswith("(11,999 characters) as: cramps (calves), twitching (eyelid), at night.")
    assert len(result.stderr) < 4000 and text[:500] not in result.stderr
