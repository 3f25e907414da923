"""The team config file (``SDRBOT_CONFIG``, YAML) as one typed, validated, immutable object.

:func:`load_team_config` is the only reader of the file, and ``Services.config`` holds what
it returns. The object lives here, in ``bot``, rather than in ``flows/config.py``: most of
its sections are about Slack users and channels, webhooks and API tokens, which the pure
domain must not know. ``flows/config.py`` keeps the models of the domain's own sections
(frameworks, overrides, thresholds, ICP) so that ``flows`` stays usable alone; the
:class:`TeamConfig` here extends them with people and roles, routing, SLA and business
hours, reject reasons, nurture, digest, engagement, webhooks, the API, retention and privacy.
Every section is a frozen pydantic model, so a mistake is reported with the file and the field
(``team.yaml: routing.rules[0].when: required``) and nothing changes the config later. See
``docs/config.example.yaml``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import time
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BeforeValidator,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from bot.crm.mapping import CrmConfig
from flows.config import DomainConfig, Frozen
from flows.schema import format_validation_error, read_yaml


class ConfigError(ValueError):
    """The team config file is unreadable or invalid; the message names file and field."""


def _ids(raw: Any) -> Any:
    # People may be written as one id or a list of ids; YAML may read an id as a number.
    if raw is None:
        return ()
    if isinstance(raw, str | int):
        return (str(raw),)
    if isinstance(raw, list | tuple | set | frozenset):
        return tuple(str(item) for item in raw)
    return raw


Ids = Annotated[tuple[str, ...], BeforeValidator(_ids)]
IdSet = Annotated[frozenset[str], BeforeValidator(_ids)]


def is_group(entry: str) -> bool:
    """Whether a people entry names a Slack user group (``@ae-team`` or ``S0123ABC``)."""
    return entry.startswith("@") or (entry[:1] == "S" and entry[1:].isalnum() and entry.isupper())


class People(Frozen):
    """Roles that grant rights beyond the rep's own qualifications.

    Each role lists Slack user ids (``U...``) and user groups (``@ae-team`` or ``S...``);
    ``bot.services.roles`` resolves the groups. ``bot.permissions`` says what each role may do.

    Attributes:
        managers: May answer any thread, accept and reject handoffs, see reports.
        account_executives: May accept or reject handoffs.
        away: People routing skips for now (holiday, sick).
        admins_are_managers: Workspace admins and owners count as managers.
    """

    managers: IdSet = frozenset()
    account_executives: IdSet = frozenset()
    away: IdSet = frozenset()
    admins_are_managers: bool = True

    @property
    def account_executive_ids(self) -> list[str]:
        """The account executives named by user id (groups left out), sorted."""
        return sorted(a for a in self.account_executives if not is_group(a))


Condition = list[str | int | float] | dict[Literal["min", "max"], float] | str | int | float
"""A routing condition: accepted values (case-insensitive) or a numeric range ``{min, max}``."""


class RoutingRule(Frozen):
    """Leads whose fields match every condition of ``when`` go to ``pool``.

    Attributes:
        name: Recorded with every decision the rule makes (default ``rule<n>``).
        when: Lead field -> condition.
        pool: User ids of the account executives of this rule.
    """

    name: str
    when: Mapping[str, Condition]
    pool: Ids


class RoutingConfig(Frozen):
    """How hot leads find an account executive."""

    rules: tuple[RoutingRule, ...] = ()
    default_pool: Ids = ()
    max_open_per_person: Annotated[int, Field(gt=0)] = 5

    @field_validator("rules", mode="before")
    @classmethod
    def _name_rules(cls, raw: Any) -> Any:
        if not isinstance(raw, list):
            return raw
        return [
            {"name": f"rule{index + 1}", **item} if isinstance(item, dict) else item
            for index, item in enumerate(raw)
        ]


_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _clock_time(raw: Any) -> Any:
    if isinstance(raw, time):
        return raw
    # Quoted "HH:MM" only: YAML reads an unquoted 09:00 as a number of minutes.
    hours, sep, minutes = str(raw).partition(":")
    if not (sep and hours.isdigit() and minutes.isdigit()):
        raise ValueError(f"expected HH:MM, got {raw!r}")
    return time(int(hours), int(minutes))


def _weekdays(raw: Any) -> Any:
    if not isinstance(raw, list | tuple):
        return raw
    days = []
    for day in raw:
        if isinstance(day, int) and 0 <= day < len(_WEEKDAYS):
            days.append(day)
            continue
        name = str(day).lower()[:3]
        if name not in _WEEKDAYS:
            raise ValueError(f"unknown weekday {day!r}")
        days.append(_WEEKDAYS.index(name))
    return tuple(sorted(days))


class BusinessHours(Frozen):
    """When SLA clocks run: weekdays and opening hours in one time zone.

    Without a ``business_hours`` section every minute counts (``open_all_week``); a section
    defaults to Monday to Friday, 09:00 to 17:00.
    """

    timezone: str = "UTC"
    weekdays: Annotated[tuple[int, ...], BeforeValidator(_weekdays)] = (0, 1, 2, 3, 4, 5, 6)
    start: Annotated[time, BeforeValidator(_clock_time)] = time(0, 0)
    end: Annotated[time, BeforeValidator(_clock_time)] = time(23, 59, 59, 999999)
    open_all_week: bool = True

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone {value!r}") from error
        return value

    @field_validator("end")
    @classmethod
    def _after_start(cls, value: time, info: ValidationInfo) -> time:
        start = info.data.get("start")
        if start is not None and value <= start:
            raise ValueError("must come after start")
        return value

    @property
    def zone(self) -> ZoneInfo:
        """The calendar's time zone."""
        return ZoneInfo(self.timezone)


class Sla(Frozen):
    """How long a hot lead may wait for an account executive, in business minutes."""

    accept_minutes: Annotated[int, Field(gt=0)] = 15
    escalate_again_minutes: Annotated[int, Field(ge=0)] | None = 60
    """Minutes from the first escalation to the second; ``None`` (0 in the file) turns it off."""

    @field_validator("escalate_again_minutes")
    @classmethod
    def _zero_is_off(cls, value: int | None) -> int | None:
        return value or None


class RejectReason(Frozen):
    """One choice of the reject modal and where it sends the lead."""

    code: Annotated[str, Field(min_length=1)]
    outcome: Literal["nurture", "disqualified"] = "nurture"
    label: Annotated[
        Mapping[str, str], BeforeValidator(lambda v: {"en": v} if isinstance(v, str) else v)
    ] = Field(default_factory=dict)


DEFAULT_REJECT_REASONS: tuple[RejectReason, ...] = tuple(
    RejectReason(code=code, outcome=outcome)
    for code, outcome in (
        ("no_budget", "nurture"),
        ("wrong_contact", "disqualified"),
        ("not_a_fit", "disqualified"),
        ("bad_timing", "nurture"),
        ("duplicate", "disqualified"),
        ("other", "nurture"),
    )
)


class Nurture(Frozen):
    """Reminders for leads in nurture and what a re-qualification keeps."""

    remind_after_days: Mapping[str, Annotated[int, Field(gt=0)]] = Field(
        default_factory=lambda: {"warm": 14, "cold": 60}
    )
    stale_after_days: Annotated[int, Field(gt=0)] = 90


class Digest(Frozen):
    """The daily digest: from which local hour, to which channels (default the managers')."""

    hour: Annotated[int, Field(ge=0, le=23)] = 8
    channels: Ids = ()


DEFAULT_POINTS: Mapping[str, float] = {
    "newsletter_reply": 10,
    "site_revisit": 5,
    "pricing_page_view": 20,
    "case_study_view": 10,
    "content_download": 8,
    "webinar_attended": 15,
    "demo_request": 40,
}
"""Points per event type when the team config names none; high buying intent weighs most."""


class Engagement(Frozen):
    """Engagement points that fade with time.

    Attributes:
        points: Points per event type (the defaults, overridden and extended by the file).
        half_life_days: Days after which an event counts half.
        mql_threshold: Score from which a lead is announced as marketing-qualified.
        qualify_channel: Where "Qualify now" posts the card; default the clicker's DM.
    """

    points: Mapping[str, Annotated[float, Field(ge=0)]] = Field(
        default_factory=lambda: dict(DEFAULT_POINTS)
    )
    half_life_days: Annotated[float, Field(gt=0)] = 30.0
    mql_threshold: Annotated[float, Field(gt=0)] = 50.0
    qualify_channel: str | None = None

    @field_validator("points", mode="after")
    @classmethod
    def _over_defaults(cls, value: Mapping[str, float]) -> Mapping[str, float]:
        return {**DEFAULT_POINTS, **value}


WEBHOOK_EVENTS = frozenset({"verdict", "handoff.accepted", "handoff.rejected", "outcome"})


class WebhookTarget(Frozen):
    """One receiver of signed webhook deliveries.

    Attributes:
        url: Where to POST (http or https).
        events: The events it wants (see :data:`WEBHOOK_EVENTS`); ``*`` subscribes to all.
        secret: The shared secret that signs each delivery.
    """

    url: str
    events: frozenset[str] = frozenset({"*"})
    secret: str = ""

    @field_validator("url")
    @classmethod
    def _http(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL")
        return value

    @field_validator("events")
    @classmethod
    def _known(cls, value: frozenset[str]) -> frozenset[str]:
        unknown = sorted(value - WEBHOOK_EVENTS - {"*"})
        if unknown:
            raise ValueError(f"unknown events {', '.join(unknown)}")
        return value or frozenset({"*"})

    def wants(self, event: str) -> bool:
        """Whether this receiver subscribed to ``event``."""
        return "*" in self.events or event in self.events


class Api(Frozen):
    """The HTTP API for other systems.

    Attributes:
        token: The bearer token callers present; empty turns the API off.
        team_id: The Slack team whose leads the token reaches; default the only team.
    """

    token: str = ""
    team_id: str | None = None


class Retention(Frozen):
    """How long what people said is kept (days); the scheduler enforces it daily.

    Attributes:
        evidence_days: After this the words of an answer are emptied (its reading stays).
        engagement_days: After this an engagement event is deleted.
        audit_days: After this an audit entry is deleted; never less than a year.
    """

    evidence_days: Annotated[int, Field(gt=0)] = 365
    engagement_days: Annotated[int, Field(gt=0)] = 180
    audit_days: Annotated[int, Field(gt=0)] = 400


class Privacy(Frozen):
    """How an erasure treats the bot's own Slack posts about the lead, and what an uninstall
    leaves.

    Attributes:
        redact_with: ``update`` replaces each post with a redacted line; ``delete`` removes it.
        on_uninstall: When a workspace removes the app (``app_uninstalled``, or the bot's
            token revoked): ``keep`` its leads, qualifications and settings for a later
            install, or ``erase`` every row of that workspace. Its tokens go either way.
    """

    redact_with: Literal["update", "delete"] = "update"
    on_uninstall: Literal["keep", "erase"] = "keep"


class TeamConfig(DomainConfig):
    """Everything in the team config file; every field is optional."""

    people: People = Field(default_factory=People)
    # The team's language where a person's Slack locale is not one the bot speaks.
    language: Literal["en", "de"] | None = None
    admin_channel: str | None = None
    routing: RoutingConfig = Field(default_factory=RoutingConfig)
    sla: Sla = Field(default_factory=Sla)
    business_hours: BusinessHours = Field(default_factory=BusinessHours)
    reject_reasons: tuple[RejectReason, ...] = DEFAULT_REJECT_REASONS
    nurture: Nurture = Field(default_factory=Nurture)
    digest: Digest = Field(default_factory=Digest)
    scheduler_seconds: Annotated[float, Field(gt=0)] = 30.0
    engagement: Engagement = Field(default_factory=Engagement)
    webhooks: tuple[WebhookTarget, ...] = ()
    api: Api = Field(default_factory=Api)
    retention: Retention = Field(default_factory=Retention)
    privacy: Privacy = Field(default_factory=Privacy)

    crm: CrmConfig = Field(default_factory=CrmConfig)

    @model_validator(mode="before")
    @classmethod
    def _plain_sections(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        # ``sla:`` with nothing under it means "the defaults".
        data = {key: value for key, value in data.items() if value is not None}
        # Older files list the people away at the top level; they join ``people.away``.
        away = data.pop("away", None)
        people = data.get("people", {})
        if away is not None and isinstance(people, dict):
            data["people"] = {**people, "away": [*_ids(people.get("away")), *_ids(away)]}
        return data

    @field_validator("reject_reasons", mode="before")
    @classmethod
    def _default_reasons(cls, raw: Any) -> Any:
        return raw or DEFAULT_REJECT_REASONS

    @field_validator("business_hours", mode="before")
    @classmethod
    def _office_defaults(cls, raw: Any) -> Any:
        # A business_hours section means office hours unless it says otherwise.
        if isinstance(raw, dict) and raw:
            office = {"weekdays": list(_WEEKDAYS[:5]), "start": "09:00", "end": "17:00"}
            return {**office, **raw, "open_all_week": False}
        return raw

    def reject_outcome(self, code: str) -> str:
        """Where a rejection with ``code`` sends the lead; unknown codes go to nurture."""
        for reason in self.reject_reasons:
            if reason.code == code:
                return reason.outcome
        return "nurture"


def load_team_config(path: str | Path | None) -> TeamConfig:
    """Read and validate the team config file.

    Args:
        path: The YAML file, or ``None`` for the defaults (built-in frameworks, nobody with
            extra rights, SLA clocks running all week...).

    Returns:
        The whole configuration; relative framework paths resolve against the file's folder.

    Raises:
        ConfigError: When the file is unreadable or a field is invalid (message names both).
    """
    if path is None:
        return TeamConfig()
    path = Path(path)
    try:
        data = read_yaml(path)
    except ValueError as error:
        raise ConfigError(str(error)) from error
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path.name}: (root): must be a mapping")
    try:
        return TeamConfig.model_validate(data, context={"base": path.parent})
    except ValidationError as error:
        raise ConfigError(format_validation_error(path.name, error)) from error
