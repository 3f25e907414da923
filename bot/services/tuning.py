"""``sdrbot tune``: load past leads with outcomes and report what better settings would do.

Nothing is applied: the result ends in a config snippet a person may copy into the team config.
"""

from __future__ import annotations

from collections import defaultdict

import yaml
from sqlmodel import Session

from flows import tuning
from flows.model import Assessment, Framework, Status
from storage import exports
from storage.models import LeadStage


def past_leads(*, session: Session, team_id: str, framework: str) -> list[tuning.PastLead]:
    """Leads won or lost, with the answers of their latest finished ``framework`` qualification."""
    answers: dict[int, dict[str, Assessment]] = defaultdict(dict)
    won: dict[int, bool] = {}
    rows = exports.outcome_answers(session=session, team_id=team_id, framework=framework)
    for qid, stage, criterion, status, value in rows:
        answers[qid][criterion] = Assessment(status=Status(status), value=value)
        won[qid] = stage == LeadStage.CUSTOMER.value
    return [tuning.PastLead(answers=answers[q], won=won[q]) for q in sorted(answers)]


def _fit_line(fit: tuning.Fit) -> str:
    def pct(x: float | None) -> str:
        return "n/a" if x is None else f"{100 * x:.0f}%"

    return (
        f"accuracy {pct(fit.accuracy)}, AUC {fit.auc:.2f}; hot leads won {pct(fit.hot_won)}, "
        f"warm lost {pct(fit.warm_lost)}, cold lost {pct(fit.cold_lost)}"
    )


def feedback_lines(votes: dict[str, tuple[int, int]]) -> list[str]:
    """People's thumbs on the verdicts, per bucket: a verdict voted wrong often is a rule to
    look at even before enough deals are won or lost to back-test it."""
    if not votes:
        return ["No votes on verdicts yet (the thumbs under each verdict)."]
    lines = ["Votes on verdicts (right / wrong):"]
    for bucket in ("hot", "warm", "cold", *sorted(set(votes) - {"hot", "warm", "cold"})):
        if bucket in votes:
            up, down = votes[bucket]
            share = f"{100 * down / (up + down):.0f}% voted wrong" if up + down else ""
            lines.append(f"  {bucket:<6} {up:>4} / {down:<4} {share}")
    return lines


def tune_report(
    framework: Framework,
    leads: list[tuning.PastLead],
    votes: dict[str, tuple[int, int]] | None = None,
) -> str:
    """The back-test, the best separating criteria, the best setting found and a snippet,
    with people's votes on the verdicts beside them (``votes``: bucket -> right, wrong)."""
    voted = feedback_lines(votes) if votes is not None else []
    if not leads:
        return "\n".join(
            [f"No {framework.key} qualifications with a won or lost outcome yet.", *voted]
        )
    won = sum(lead.won for lead in leads)
    now = tuning.measure(framework, leads)
    lines = [
        f"Back-test of {framework.name} on {len(leads)} leads ({won} won, {len(leads) - won} lost)",
        f"Current rules: {_fit_line(now)}",
        "",
        "Criteria that separate won from lost (met-rate won / lost, information gain):",
    ]
    for s in tuning.separation(framework, leads):
        lines.append(
            f"  {s.criterion:<20} {100 * s.met_rate_won:5.1f}% / {100 * s.met_rate_lost:5.1f}%"
            f"   gain {s.information_gain:.3f}"
        )
    best = tuning.search(framework, leads)[0]
    th, old = best.thresholds, framework.thresholds
    weights = tuning.suggested_weights(framework, leads)
    lines += [
        "",
        f"Best setting found: min_budget {th.min_budget:,.0f} (now {old.min_budget:,.0f}), "
        f"timeline_met_days {th.timeline_met_days} (now {old.timeline_met_days})",
        f"It would have given: {_fit_line(best.fit)}",
        "",
        *([*voted, ""] if voted else []),
        "To apply, copy this into the team config (nothing changes until you do):",
        "",
    ]
    snippet = {
        "overrides": {
            framework.key: {
                "thresholds": {
                    "min_budget": round(th.min_budget),
                    "timeline_met_days": th.timeline_met_days,
                    "timeline_partial_days": th.timeline_partial_days,
                },
                "weights": weights,
            }
        }
    }
    lines.append(yaml.safe_dump(snippet, sort_keys=False).rstrip())
    return "\n".join(lines)
