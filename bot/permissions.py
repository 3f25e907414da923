"""Who may do what: the authorization matrix as data, and the one check every listener uses.

A row of :data:`MATRIX` names the roles that may take an action; a person may take it when
they hold one of them towards the lead or qualification concerned (:func:`roles_towards`).
Roles come from the team config and from Slack (user groups, workspace admins, channel
membership); ``bot.services.roles`` resolves them into an :class:`Actor`. A check on an actor
known only from the config raises :class:`RolesNeeded` instead of refusing, so the caller asks
Slack and checks again: the common case (the rep in their own thread) needs no Slack call.
Refusals are worded by the templates named in :data:`REFUSALS` and recorded in the audit
trail (:func:`record_refusal`). ``docs/PERMISSIONS.md`` shows the same matrix.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from sqlmodel import Session

from storage import events


class Action(StrEnum):
    """What someone asks the bot to do."""

    START = "start"  # /qualify; Qualify now on a lead nobody owns
    REQUALIFY = "requalify"  # Qualify now on an owned lead, Re-qualify a nurtured one
    STEER = "steer"  # answer, edit, pause, resume, cancel, change a reading
    DECIDE_HANDOFF = "decide_handoff"  # accept or reject a hot lead
    RECORD_OUTCOME = "record_outcome"  # /lead won | lost
    VIEW_LEAD = "view_lead"  # /lead status, /lead list
    REPORT = "report"  # /lead report
    ERASE = "erase"  # erase a lead and everything held on it
    REVIEW_WORKSPACE = "review_workspace"  # App Home: failed deliveries, learned phrases
    SETTINGS = "settings"  # App Home: open and save the workspace settings


class Role(StrEnum):
    """What someone is, towards one lead or qualification."""

    ANYONE = "anyone"
    REP = "rep"  # runs the qualification
    OWNER = "owner"  # owns the lead
    ACCEPTER = "accepter"  # accepted the lead's handoff
    CHANNEL_MEMBER = "channel_member"  # is in a channel where the lead was qualified
    ACCOUNT_EXECUTIVE = "account_executive"  # named in the config, by id or user group
    AE_POOL = "ae_pool"  # may decide this handoff: the account executives, or (none named)
    # the members of the alert channel except the rep who qualified the lead
    MANAGER = "manager"  # named in the config, by id or user group, or a workspace admin


MATRIX: Mapping[Action, tuple[Role, ...]] = MappingProxyType(
    {
        Action.START: (Role.ANYONE,),
        Action.REQUALIFY: (Role.OWNER, Role.REP, Role.MANAGER),
        Action.STEER: (Role.REP, Role.MANAGER),
        Action.DECIDE_HANDOFF: (Role.AE_POOL, Role.MANAGER),
        Action.RECORD_OUTCOME: (Role.OWNER, Role.ACCEPTER, Role.MANAGER),
        Action.VIEW_LEAD: (
            Role.OWNER,
            Role.CHANNEL_MEMBER,
            Role.ACCOUNT_EXECUTIVE,
            Role.MANAGER,
        ),
        Action.REPORT: (Role.MANAGER,),
        Action.ERASE: (Role.MANAGER,),
        Action.REVIEW_WORKSPACE: (Role.MANAGER,),
        Action.SETTINGS: (Role.MANAGER,),
    }
)
"""Action -> the roles that may take it."""

REFUSALS: Mapping[Action, str] = MappingProxyType(
    {
        Action.REQUALIFY: "qualify_now_not_owner",
        Action.STEER: "not_owner",
        Action.DECIDE_HANDOFF: "refused_decide_handoff",
        Action.RECORD_OUTCOME: "refused_record_outcome",
        Action.VIEW_LEAD: "refused_view_lead",
        Action.REPORT: "refused_report",
        Action.ERASE: "erase_not_manager",
        Action.SETTINGS: "refused_settings",
    }
)
"""Action -> the template that refuses it and says who may do it instead."""


@dataclass(frozen=True, slots=True)
class Actor:
    """A person with the roles known for them.

    Attributes:
        user_id: Slack user id.
        manager: A manager (config id or group, or a workspace admin or owner).
        account_executive: An account executive (config id or group).
        channels: Channels the person is known to be in, of those asked about.
        complete: Slack was asked; False when only the config was read.
    """

    user_id: str
    manager: bool = False
    account_executive: bool = False
    channels: frozenset[str] = frozenset()
    complete: bool = False


@dataclass(frozen=True, slots=True)
class Subject:
    """The lead or qualification an action concerns (all optional).

    Attributes:
        rep_id: The rep who runs (or ran) the qualification.
        owner_id: The lead's owner.
        accepted_by: The account executive who accepted the lead's handoff.
        channels: Channels where the lead was qualified.
        pool_channel: Set when nobody is named account executive: the alert channel whose
            members (except ``rep_id``) form the pool.
    """

    rep_id: str | None = None
    owner_id: str | None = None
    accepted_by: str | None = None
    channels: frozenset[str] = field(default_factory=frozenset)
    pool_channel: str | None = None


class RolesNeeded(Exception):
    """The config alone does not allow the action; ask Slack for the person's roles.

    Attributes:
        channels: Channels whose membership decides it.
    """

    def __init__(self, channels: Iterable[str] = ()) -> None:
        super().__init__("roles needed")
        self.channels = frozenset(c for c in channels if c)


def roles_towards(actor: Actor, subject: Subject) -> frozenset[Role]:
    """The roles ``actor`` holds towards ``subject``."""
    user = actor.user_id
    roles = {Role.ANYONE}
    if subject.rep_id == user:
        roles.add(Role.REP)
    if subject.owner_id == user:
        roles.add(Role.OWNER)
    if subject.accepted_by == user:
        roles.add(Role.ACCEPTER)
    if subject.channels & actor.channels:
        roles.add(Role.CHANNEL_MEMBER)
    if actor.account_executive:
        roles.add(Role.ACCOUNT_EXECUTIVE)
    if actor.manager:
        roles.add(Role.MANAGER)
    if subject.pool_channel is None:
        if actor.account_executive:
            roles.add(Role.AE_POOL)
    elif subject.pool_channel in actor.channels and user != subject.rep_id:
        roles.add(Role.AE_POOL)
    return frozenset(roles)


def permits(action: Action, actor: Actor, subject: Subject | None = None) -> bool:
    """Whether ``actor`` may take ``action`` on ``subject``.

    Raises:
        RolesNeeded: Not allowed by what is known, and Slack was not asked yet.
    """
    subject = subject or Subject()
    if roles_towards(actor, subject) & set(MATRIX[action]):
        return True
    if not actor.complete:
        raise RolesNeeded((*subject.channels, subject.pool_channel or ""))
    return False


def record_refusal(
    session: Session,
    *,
    team_id: str,
    actor: Actor,
    action: Action,
    lead_id: int | None = None,
    qualification_id: int | None = None,
) -> None:
    """Keep a refusal in the audit trail (``refused.<action>``)."""
    events.record_audit(
        session=session,
        team_id=team_id,
        actor_id=actor.user_id,
        action=f"refused.{action.value}",
        lead_id=lead_id,
        qualification_id=qualification_id,
    )
