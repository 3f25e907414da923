"""The simulated workspace: its channels, its people and the team config the bot runs with."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

SALES = "C_SALES"
HOT_LEADS = "C_HOT"
MANAGERS = "C_MGR"
RILEY = "U_REP1"
SAM = "U_REP2"
MORGAN = "U_MGR"
ALEX = "U_AE1"


@dataclass(frozen=True, slots=True)
class Channel:
    """A public channel of the simulated workspace."""

    id: str
    name: str
    topic: str
    topic_de: str

    def topic_in(self, language: str) -> str:
        """The channel's topic in the workspace's language."""
        return self.topic_de if language == "de" else self.topic


@dataclass(frozen=True, slots=True)
class Person:
    """A member of the simulated workspace."""

    id: str
    name: str
    real_name: str
    role: str
    tz: str = "Europe/Berlin"

    def profile(self) -> dict[str, Any]:
        """The profile the stand-in answers ``users.info`` with."""
        return {"name": self.name, "real_name": self.real_name, "tz": self.tz}


CHANNELS: tuple[Channel, ...] = (
    Channel(
        SALES,
        "sales",
        "Where reps qualify leads: try /qualify Acme Corp",
        "Hier qualifizieren die SDRs ihre Leads: probier /qualify Müller Maschinenbau",
    ),
    Channel(
        HOT_LEADS,
        "hot-leads",
        "Hot-lead alerts for account executives",
        "Heiße Leads für die Account Executives",
    ),
    Channel(
        MANAGERS,
        "managers",
        "Handoff notifications for managers",
        "Übergaben im Blick für die Vertriebsleitung",
    ),
)
DM_TOPIC = {"en": "Direct messages with the bot", "de": "Direktnachrichten mit dem Bot"}

PEOPLE: tuple[Person, ...] = (
    Person(RILEY, "riley", "Riley Rivera", "Sales development rep"),
    Person(SAM, "sam", "Sam Schulz", "Sales development rep"),
    Person(MORGAN, "morgan", "Morgan Meyer", "Sales manager"),
    Person(ALEX, "alex", "Alex Adler", "Account executive"),
)


def team_config_yaml() -> str:
    """The team config the simulated bot reads: who manages and who takes handoffs."""
    config = {
        "people": {"managers": [MORGAN], "account_executives": [ALEX]},
    }
    return yaml.safe_dump(config, sort_keys=False)
