"""A workspace's effective settings: the team config file (and environment) overlaid by what
an admin or manager saved in Slack, which wins. :func:`effective` is the one resolver every
reader of the alert channel, manager channel, roles, default framework and language uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlmodel import Session

from bot.config import People
from bot.permissions import Action, Actor, permits, record_refusal
from bot.rendering import role_mentions
from storage import events
from storage import workspace_settings as settings_store
from storage.models import WorkspaceSetting

if TYPE_CHECKING:
    from bot.services.context import Services

FALLBACK_FRAMEWORK = "bant"
LANGUAGES = ("en", "de")


@dataclass(frozen=True, slots=True)
class WorkspaceSettings:
    """What a workspace runs with.

    Attributes:
        alert_channel: Where hot leads are announced ("" when nowhere).
        manager_channel: Where managers hear about handoffs and SLAs ("" when nowhere).
        people: The roles, with the stored account executives and managers in place of the file's.
        default_framework: The framework ``/qualify`` uses when none is named.
        language: The workspace's language.
        stored: The names of the values saved in Slack (they override the file).
    """

    alert_channel: str
    manager_channel: str
    people: People
    default_framework: str
    language: str
    stored: frozenset[str] = frozenset()

    @property
    def configured(self) -> bool:
        """Whether anything decides where hot leads go (the first admin is asked otherwise)."""
        return bool(self.alert_channel or self.stored)


def from_file(services: Services) -> WorkspaceSettings:
    """The settings of the team config file and the environment alone."""
    return WorkspaceSettings(
        alert_channel=services.settings.alert_channel,
        manager_channel=services.settings.manager_channel,
        people=services.config.people,
        default_framework=_fallback_framework(services),
        language=services.team_language,
    )


def overlay(base: WorkspaceSettings, row: WorkspaceSetting | None) -> WorkspaceSettings:
    """``base`` with the stored values of ``row`` in place (a None value keeps the file's)."""
    if row is None:
        return base
    stored = frozenset(name for name in settings_store.FIELDS if getattr(row, name))
    people = base.people.model_copy(
        update={
            **({"managers": frozenset(row.managers)} if row.managers else {}),
            **(
                {"account_executives": frozenset(row.account_executives)}
                if row.account_executives
                else {}
            ),
        }
    )
    return WorkspaceSettings(
        alert_channel=row.alert_channel or base.alert_channel,
        manager_channel=row.manager_channel or base.manager_channel,
        people=people,
        default_framework=row.default_framework or base.default_framework,
        language=row.language or base.language,
        stored=stored,
    )


def effective(services: Services, session: Session, team_id: str) -> WorkspaceSettings:
    """The settings ``team_id`` runs with: the file's, overlaid by the stored ones."""
    row = settings_store.get_settings(session=session, team_id=team_id)
    return overlay(from_file(services), row)


def save(
    services: Services, session: Session, *, team_id: str, user_id: str, values: dict[str, Any]
) -> WorkspaceSettings:
    """Store ``values`` for ``team_id``, keep it in the audit trail and return the result.

    The caller has checked ``Action.SETTINGS``; the role cache follows at once.
    """
    known = set(services.frameworks)
    if values.get("default_framework") not in known:
        values["default_framework"] = None
    if values.get("language") not in LANGUAGES:
        values["language"] = None
    row = settings_store.save_settings(
        session=session, team_id=team_id, values=values, updated_by=user_id
    )
    events.record_audit(
        session=session,
        team_id=team_id,
        actor_id=user_id,
        action="settings.save",
        detail={name: _jsonable(getattr(row, name)) for name in settings_store.FIELDS},
    )
    result = overlay(from_file(services), row)
    services.roles.set_team_people(team_id, result.people, result.language)
    return result


def save_as(
    services: Services, session: Session, *, team_id: str, actor: Actor, values: dict[str, Any]
) -> str | None:
    """A Save of the Settings modal by ``actor``: stored and audited, or refused.

    Only values that differ from the file's are stored, so the file keeps deciding the rest.

    Returns:
        None when saved; else the refusal line (the refusal is kept in the audit trail).

    Raises:
        RolesNeeded: The config alone does not say whether ``actor`` may.
    """
    if not permits(Action.SETTINGS, actor):
        record_refusal(session, team_id=team_id, actor=actor, action=Action.SETTINGS)
        current = effective(services, session, team_id)
        t = services.texts(current.language)
        return str(t("refused_settings", managers=role_mentions(current.people.managers)))
    base = from_file(services)
    file_values = {
        "alert_channel": base.alert_channel,
        "manager_channel": base.manager_channel,
        "account_executives": sorted(base.people.account_executives),
        "managers": sorted(base.people.managers),
        "default_framework": base.default_framework,
        "language": base.language,
    }
    changed = {
        name: value
        for name, value in values.items()
        if value and _jsonable(value) != file_values.get(name)
    }
    save(services, session, team_id=team_id, user_id=actor.user_id, values=changed)
    return None


def _jsonable(value: Any) -> Any:
    return sorted(value) if isinstance(value, (list, set, frozenset, tuple)) else value


def _fallback_framework(services: Services) -> str:
    # The team config names no default framework; /qualify has always fallen back to BANT.
    if FALLBACK_FRAMEWORK in services.frameworks or not services.frameworks:
        return FALLBACK_FRAMEWORK
    return sorted(services.frameworks)[0]
