"""Framework files and team config: load, validate, name the file and field on error."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from flows.config import DomainConfig, load_frameworks
from flows.model import AnswerKind, Framework, Status
from flows.schema import FrameworkError, builtin_frameworks_dir, load_framework_file
from flows.steps import criterion_named

DESIGN_KEYS = {
    "bant": ["budget", "authority", "need", "timeline"],
    "meddic": [
        "metrics", "economic_buyer", "decision_criteria", "decision_process", "identify_pain",
        "champion",
    ],
    "meddpicc": [
        "metrics", "economic_buyer", "decision_criteria", "decision_process", "paper_process",
        "identify_pain", "champion", "competition",
    ],
    "champ": ["challenges", "authority", "money", "prioritization"],
    "anum": ["authority", "need", "urgency", "money"],
    "gpctba_ci": [
        "goals", "plans", "challenges", "timeline", "budget", "authority", "consequences",
        "implications",
    ],
}  # fmt: skip
KEY_CRITERION = {
    "bant": "need",
    "meddic": "identify_pain",
    "meddpicc": "identify_pain",
    "champ": "challenges",
    "anum": "need",
    "gpctba_ci": "challenges",
}
CONCEPTS = {
    "authority": "authority",
    "economic_buyer": "authority",
    "need": "need",
    "identify_pain": "need",
    "challenges": "need",
    "budget": "budget",
    "money": "budget",
    "timeline": "timeline",
    "urgency": "timeline",
}


def test_every_design_framework_is_shipped_with_its_keys_in_order(
    frameworks: dict[str, Framework],
) -> None:
    assert set(frameworks) == set(DESIGN_KEYS)
    for key, expected in DESIGN_KEYS.items():
        assert list(frameworks[key].keys) == expected


@pytest.mark.parametrize("key", sorted(DESIGN_KEYS))
def test_framework_has_key_criterion_concepts_and_both_languages(
    frameworks: dict[str, Framework], key: str
) -> None:
    framework = frameworks[key]
    assert framework.key_criterion.key == KEY_CRITERION[key]
    assert framework.adaptive is False
    for criterion in framework.criteria:
        assert criterion.concept == CONCEPTS.get(criterion.key)
        assert criterion.weight > 0
        for lang in ("en", "de"):
            assert criterion.question[lang].strip()
            assert criterion.help[lang].strip()
            assert 2 <= len(criterion.quick_answers[lang]) <= 5
        # Every button must stand for a definite status, and "don't know" must be offered.
        assert {c.status for c in criterion.choices} >= {Status.MET, Status.UNKNOWN}


def test_kinds_fit_the_questions(frameworks: dict[str, Framework]) -> None:
    bant = frameworks["bant"]
    assert bant.criterion("budget").kind is AnswerKind.AMOUNT
    assert bant.criterion("timeline").kind is AnswerKind.TIMEFRAME
    assert bant.criterion("authority").kind is AnswerKind.ROLE
    assert frameworks["champ"].criterion("prioritization").kind is AnswerKind.CHOICE


def _bant_data() -> dict:
    return yaml.safe_load((builtin_frameworks_dir() / "bant.yaml").read_text(encoding="utf-8"))


def _write(tmp_path: Path, data: dict, name: str = "bant.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _break(data: dict, mutate: str) -> dict:
    criteria = data["criteria"]
    if mutate == "weight":
        criteria[2]["weight"] = 0
    elif mutate == "missing_de":
        del criteria[1]["question"]["de"]
    elif mutate == "duplicate":
        criteria[3]["key"] = "budget"
    elif mutate == "two_keys":
        criteria[0]["key_criterion"] = True
    elif mutate == "bad_kind":
        criteria[0]["kind"] = "colour"
    elif mutate == "one_answer":
        criteria[1]["answers"] = criteria[1]["answers"][:1]
    elif mutate == "bad_status":
        criteria[3]["answers"][0]["status"] = "great"
    elif mutate == "extra":
        criteria[0]["colour"] = "red"
    elif mutate == "shared_word":
        criteria[3]["words"] = ["money"]
    elif mutate == "name_without_de":
        criteria[2]["name"] = {"en": "Need"}
    return data


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        ("weight", "bant.yaml: criteria[2].weight: must be > 0"),
        ("missing_de", "bant.yaml: criteria[1].question.de: required"),
        ("duplicate", "bant.yaml: criteria: duplicate criterion keys: budget"),
        ("two_keys", "bant.yaml: criteria: exactly one key_criterion required, found 2"),
        ("bad_kind", "bant.yaml: criteria[0].kind:"),
        ("one_answer", "bant.yaml: criteria[1].answers:"),
        ("bad_status", "bant.yaml: criteria[3].answers[0].status:"),
        ("extra", "bant.yaml: criteria[0].colour: unknown field"),
        ("shared_word", "bant.yaml: criteria: 'money' names both budget and timeline"),
        ("name_without_de", "bant.yaml: criteria[2].name.de: required"),
    ],
)
def test_invalid_framework_names_file_and_field(tmp_path: Path, mutate: str, expected: str) -> None:
    path = _write(tmp_path, _break(_bant_data(), mutate))
    with pytest.raises(FrameworkError) as caught:
        load_framework_file(path)
    assert str(caught.value).startswith(expected)


def test_key_must_match_file_name(tmp_path: Path) -> None:
    path = _write(tmp_path, _bant_data(), name="mybant.yaml")
    with pytest.raises(FrameworkError, match=r"^mybant.yaml: key: must match"):
        load_framework_file(path)


def test_yaml_syntax_error_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bant.yaml"
    path.write_text("key: [unclosed\n", encoding="utf-8")
    with pytest.raises(FrameworkError, match=r"^bant.yaml: invalid YAML"):
        load_framework_file(path)


def test_team_config_overrides_weights_thresholds_and_adds_frameworks(tmp_path: Path) -> None:
    own = _bant_data()
    own["key"] = "bant_lite"
    own["name"] = "BANT lite"
    (tmp_path / "fw").mkdir()
    _write(tmp_path / "fw", own, name="bant_lite.yaml")
    config_path = tmp_path / "team.yaml"
    config_path.write_text(
        yaml.safe_dump(
            {
                "frameworks_dir": "fw",
                "thresholds": {"min_budget": 25000, "timeline_met_days": 60},
                "overrides": {
                    "bant": {"weights": {"budget": 3}, "thresholds": {"min_budget": 50000}},
                    "meddic": {"adaptive": True},
                },
                "icp": {"industries": ["SaaS"], "employees": {"min": 50, "max": 500}},
            }
        ),
        encoding="utf-8",
    )
    data = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    config = DomainConfig.model_validate(data, context={"base": tmp_path})
    frameworks = load_frameworks(config)
    assert "bant_lite" in frameworks
    assert frameworks["bant"].criterion("budget").weight == 3
    assert frameworks["bant"].thresholds.min_budget == 50000
    assert frameworks["bant"].thresholds.timeline_met_days == 60
    assert frameworks["champ"].thresholds.min_budget == 25000
    assert frameworks["meddic"].adaptive is True
    assert config.icp is not None and config.icp.employees is not None
    assert config.icp.employees.contains(100) and not config.icp.employees.contains(5000)


def test_no_config_means_builtin_defaults() -> None:
    assert DomainConfig().icp is None
    assert set(load_frameworks()) == set(DESIGN_KEYS)


def test_a_new_criterion_needs_only_its_framework_file(tmp_path: Path) -> None:
    data = _bant_data()
    data["key"] = "bant_plus"
    data["criteria"].append(
        {
            **data["criteria"][0],
            "key": "procurement",
            "name": {"en": "Procurement", "de": "Einkauf"},
            "words": ["purchasing", "Beschaffung"],
            "concept": None,
        }
    )
    framework = load_framework_file(_write(tmp_path, data, name="bant_plus.yaml"))
    criterion = framework.criterion("procurement")
    assert (criterion.title("en"), criterion.title("de")) == ("Procurement", "Einkauf")
    for typed in ("procurement", "Einkauf", "purchasing", "beschaffung"):
        assert criterion_named(framework, typed) == "procurement"


def test_a_criterion_without_a_name_is_called_by_its_key(tmp_path: Path) -> None:
    data = _bant_data()
    del data["criteria"][0]["name"]
    data["criteria"][0].pop("words", None)
    budget = load_framework_file(_write(tmp_path, data)).criterion("budget")
    assert budget.title("de") == "Budget" and budget.words == ()


@pytest.mark.parametrize("key", sorted(DESIGN_KEYS))
def test_every_builtin_criterion_has_a_name_in_both_languages(key: str) -> None:
    raw = yaml.safe_load((builtin_frameworks_dir() / f"{key}.yaml").read_text(encoding="utf-8"))
    for criterion in raw["criteria"]:
        assert set(criterion["name"]) == {"en", "de"}, criterion["key"]
