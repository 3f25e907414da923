"""What the demo's people type and click: a hot, a warm and a cold BANT lead, per language.

The buttons are named by their labels in the framework's quick answers
(``flows/frameworks/bant.yaml``), so each language's scripts click that language's buttons.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.simulator.people import ALEX, RILEY, SALES, SAM


@dataclass(frozen=True, slots=True)
class Answer:
    """How the rep answers one question: the button to click, or words to type first."""

    button: str
    typed: str | None = None


@dataclass(frozen=True, slots=True)
class Script:
    """One qualification from ``/qualify`` to the verdict (and the handoff, if hot)."""

    lead: str
    rep: str
    answers: dict[str, Answer]
    accept_by: str | None = None
    channel: str = SALES
    fallback_button: str = "Don't know"


SCRIPTS_EN: tuple[Script, ...] = (
    Script(
        lead="Acme Corp",
        rep=RILEY,
        answers={
            "budget": Answer("Budget approved", "80k EUR are approved for this"),
            "authority": Answer("Contact decides"),
            "need": Answer("Clear pain", "Manual lead routing loses them deals every week"),
            "timeline": Answer("This quarter"),
        },
        accept_by=ALEX,
    ),
    Script(
        lead="Globex",
        rep=SAM,
        answers={
            "budget": Answer("Budget being planned"),
            "authority": Answer("Contact decides"),
            "need": Answer("Clear pain"),
            "timeline": Answer("Later or never"),
        },
    ),
    Script(
        lead="Initech",
        rep=RILEY,
        answers={
            "budget": Answer("No budget"),
            "authority": Answer("No say at all"),
            "need": Answer("Nice to have"),
            "timeline": Answer("Later or never"),
        },
    ),
)

SCRIPTS_DE: tuple[Script, ...] = (
    Script(
        lead="Müller Maschinenbau",
        rep=RILEY,
        answers={
            "budget": Answer("Budget freigegeben", "80.000 € sind dafür freigegeben"),
            "authority": Answer("Kontakt entscheidet"),
            "need": Answer(
                "Klarer Bedarf",
                "Anfragen bleiben im Sammelpostfach liegen, dadurch verlieren sie jede Woche "
                "Aufträge",
            ),
            "timeline": Answer("Dieses Quartal"),
        },
        accept_by=ALEX,
        fallback_button="Weiß nicht",
    ),
    Script(
        lead="Brandt Logistik",
        rep=SAM,
        answers={
            "budget": Answer("Budget in Planung"),
            "authority": Answer("Kontakt entscheidet"),
            "need": Answer("Klarer Bedarf"),
            "timeline": Answer("Später oder nie"),
        },
        fallback_button="Weiß nicht",
    ),
    Script(
        lead="Kessler Bau",
        rep=RILEY,
        answers={
            "budget": Answer("Kein Budget"),
            "authority": Answer("Hat nichts zu sagen"),
            "need": Answer("Wäre nett"),
            "timeline": Answer("Später oder nie"),
        },
        fallback_button="Weiß nicht",
    ),
)

SCRIPTS: dict[str, tuple[Script, ...]] = {"en": SCRIPTS_EN, "de": SCRIPTS_DE}

VERDICT_WORDS: dict[str, tuple[str, ...]] = {
    "en": ("hot", "warm", "cold"),
    "de": ("heiß", "warm", "kalt"),
}
"""How the verdict message names hot, warm and cold (``verdict_word`` in the templates)."""
