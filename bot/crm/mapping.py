"""The ``crm:`` section of the team config: where our readings go in the CRM.

Only names live here (properties, stages, the property group); secrets come from the
environment (``SDRBOT_HUBSPOT_TOKEN``). ``bot/config.py`` reads the file; this module only
describes the section, so every default is visible in one place.
"""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import Field, field_validator

from flows.config import Frozen

DEFAULT_FIRMOGRAPHICS = {
    "industry": "industry",
    "employees": "numberofemployees",
    "region": "country",
    "revenue": "annualrevenue",
}
"""Our firmographic field -> HubSpot company property (HubSpot's own defaults)."""

DEFAULT_LIFECYCLE = {
    "MQL": "marketingqualifiedlead",
    "SQL": "salesqualifiedlead",
    "SAL": "opportunity",
    "customer": "customer",
}
"""Our lead stage -> HubSpot ``lifecyclestage``. Stages not named leave it alone: HubSpot
moves a lifecycle stage only forward, so nurture, disqualified and lost go to the lead status."""

DEFAULT_LEAD_STATUS = {
    "MQL": "OPEN",
    "SQL": "IN_PROGRESS",
    "SAL": "OPEN_DEAL",
    "nurture": "BAD_TIMING",
    "disqualified": "UNQUALIFIED",
    "customer": "CONNECTED",
    "lost": "UNQUALIFIED",
}
"""Our lead stage -> HubSpot ``hs_lead_status`` (the options HubSpot ships)."""


class HubSpotMapping(Frozen):
    """How our leads map onto HubSpot companies.

    Attributes:
        portal_id: The HubSpot account id for record links; read from the API when unset.
        app_url: Base of record links.
        property_group: Group our company properties are created in.
        property_prefix: Prefix of our property names (``sdrbot_verdict``...).
        firmographics: Our firmographic field -> company property, read at ``/qualify``.
        lifecycle_stage: Our stage -> ``lifecyclestage`` value.
        lead_status: Our stage -> ``hs_lead_status`` value.
        won_stages: Deal stages (internal values) that mean the deal was won.
        lost_stages: Deal stages that mean it was lost.
    """

    portal_id: str | None = None
    app_url: str = "https://app.hubspot.com"
    property_group: str = "sdrbot"
    property_prefix: str = "sdrbot_"
    firmographics: Mapping[str, str] = Field(default_factory=lambda: dict(DEFAULT_FIRMOGRAPHICS))
    lifecycle_stage: Mapping[str, str] = Field(default_factory=lambda: dict(DEFAULT_LIFECYCLE))
    lead_status: Mapping[str, str] = Field(default_factory=lambda: dict(DEFAULT_LEAD_STATUS))
    won_stages: frozenset[str] = frozenset({"closedwon"})
    lost_stages: frozenset[str] = frozenset({"closedlost"})

    @field_validator("firmographics", mode="after")
    @classmethod
    def _known_fields(cls, value: Mapping[str, str]) -> Mapping[str, str]:
        unknown = sorted(set(value) - set(DEFAULT_FIRMOGRAPHICS))
        if unknown:
            known = ", ".join(DEFAULT_FIRMOGRAPHICS)
            raise ValueError(f"unknown fields {', '.join(unknown)}; known: {known}")
        return {**DEFAULT_FIRMOGRAPHICS, **value}

    @field_validator("property_prefix")
    @classmethod
    def _property_name(cls, value: str) -> str:
        # HubSpot property names are lower case letters, digits and underscores.
        if not value or not value.replace("_", "").isalnum() or value != value.lower():
            raise ValueError("must be lower case letters, digits and underscores")
        return value


DEFAULT_SALESFORCE_STATUS = {
    "MQL": "Open - Not Contacted",
    "SQL": "Working - Contacted",
    "SAL": "Working - Contacted",
    "nurture": "Open - Not Contacted",
    "disqualified": "Closed - Not Converted",
    "lost": "Closed - Not Converted",
}
"""Our lead stage -> the Lead's ``Status`` (Salesforce's default picklist). A won deal is a
conversion, which Salesforce does not take as a status update, so ``customer`` is not set."""


class SalesforceMapping(Frozen):
    """How our leads map onto Salesforce Leads.

    Attributes:
        lead_status: Our stage -> the Lead's ``Status`` value.
    """

    lead_status: Mapping[str, str] = Field(default_factory=lambda: dict(DEFAULT_SALESFORCE_STATUS))


class CrmConfig(Frozen):
    """The ``crm:`` section.

    Attributes:
        hubspot: The HubSpot mapping (used when ``SDRBOT_HUBSPOT_TOKEN`` is set).
        salesforce: The Salesforce mapping (used when ``SDRBOT_SALESFORCE_URL`` is set).
        slack_url: The workspace's address (``https://acme.slack.com``) for thread links the
            CRM record carries when Slack does not hand out a permalink.
    """

    hubspot: HubSpotMapping = Field(default_factory=HubSpotMapping)
    salesforce: SalesforceMapping = Field(default_factory=SalesforceMapping)
    slack_url: str = "https://slack.com"
