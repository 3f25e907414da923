"""Delivers our ``hubspot.*`` outbox messages: find or create the company, then write to it.

Every message carries what it needs to find its company on its own (the lead's key, domain
and name, the record id once known), so the writes of one lead may arrive in any order and
any of them may be the first. Retries are safe:

- a company is created with our lead key in a property with unique values, so a second
  create after a lost answer meets HubSpot's 409 and takes the existing record;
- each write stores its idempotency key (the outbox key) in the same PATCH; a retry that
  finds its key already on the record writes nothing again.
"""

from __future__ import annotations

from typing import Any

from bot.crm import properties as props
from bot.crm.hubspot_api import Conflict, HubSpotApi, NotFound
from bot.crm.mapping import HubSpotMapping

LIFECYCLE_ORDER = (
    "subscriber",
    "lead",
    "marketingqualifiedlead",
    "salesqualifiedlead",
    "opportunity",
    "customer",
    "evangelist",
)
"""HubSpot moves a lifecycle stage forward only; a value behind the current one is skipped."""


class HubSpotWriter:
    """The outbox's handler for every ``hubspot.*`` method.

    Args:
        api: The HubSpot API client.
        mapping: The team config's HubSpot mapping.
    """

    def __init__(self, api: HubSpotApi, mapping: HubSpotMapping) -> None:
        self.api = api
        self.mapping = mapping
        self._known_properties: set[str] | None = None
        self._portal_id: str | None = mapping.portal_id

    async def __call__(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Deliver one message (see :func:`bot.crm.outbox.stage`) and say what the record is.

        A message with an ``email`` also finds or creates that contact and associates it with
        the company.

        Returns:
            ``record_id``, ``contact_id``, ``record_url``, ``firmographics`` (our field
            names), ``created`` and ``written`` (False when a retry found its write made).
        """
        fields = dict(payload.get("properties") or {})
        await self.ensure_properties(list(fields))
        company, created = await self._locate(payload)
        record_id = str(company["id"])
        current = company.get("properties") or {}
        update = {self.mapping.property_prefix + name: value for name, value in fields.items()}
        update.update(self._stage_properties(payload.get("stage"), current))
        key_property = self._name(props.WRITE_KEY)
        written = current.get(key_property) != payload["key"]
        if written:
            update[key_property] = payload["key"]
            try:
                company = await self.api.update_company(record_id, update)
            except NotFound:
                # Deleted in HubSpot since we found it: find or create it again next time.
                raise Conflict("company deleted while writing") from None
        contact_id = None
        if payload.get("email"):
            contact_id = await self.api.upsert_contact(str(payload["email"]), record_id)
        return {
            "record_id": record_id,
            "contact_id": contact_id,
            "record_url": await self.record_url(record_id),
            "firmographics": props.firmographics(self.mapping, current),
            "created": created,
            "written": written,
        }

    # -- the company -----------------------------------------------------------------------

    async def _locate(self, payload: dict[str, Any]) -> tuple[dict[str, Any], bool]:
        """The lead's company: by record id, our lead key, domain, then name; else a new one."""
        wanted = self._read_properties()
        record_id = payload.get("record_id")
        if record_id:
            try:
                return await self.api.get_company(str(record_id), wanted), False
            except NotFound:
                pass  # merged or deleted in HubSpot: look for it like the first time
        lead_key = str(payload["lead_key"])
        searches = [(self._name(props.LEAD_KEY), lead_key)]
        if payload.get("domain"):
            searches.append(("domain", str(payload["domain"])))
        if payload.get("name"):
            searches.append(("name", str(payload["name"])))
        for property_name, value in searches:
            found = await self.api.search_companies(property_name, value, wanted)
            if found is not None:
                return found, False
        created = {self._name(props.LEAD_KEY): lead_key, "name": str(payload.get("name") or "")}
        if payload.get("domain"):
            created["domain"] = str(payload["domain"])
        try:
            return await self.api.create_company(created), True
        except Conflict as conflict:
            # Our key is unique: an earlier attempt created it and its answer was lost.
            if conflict.existing_id:
                return await self.api.get_company(conflict.existing_id, wanted), False
            found = await self.api.search_companies(self._name(props.LEAD_KEY), lead_key, wanted)
            if found is None:
                raise
            return found, False

    def _read_properties(self) -> list[str]:
        return [
            "name",
            "domain",
            "lifecyclestage",
            "hs_lead_status",
            self._name(props.LEAD_KEY),
            self._name(props.WRITE_KEY),
            *self.mapping.firmographics.values(),
        ]

    def _stage_properties(self, stage: str | None, current: dict[str, Any]) -> dict[str, str]:
        if not stage:
            return {}
        update = {}
        status = self.mapping.lead_status.get(stage)
        if status:
            update["hs_lead_status"] = status
        lifecycle = self.mapping.lifecycle_stage.get(stage)
        if lifecycle and _moves_forward(str(current.get("lifecyclestage") or ""), lifecycle):
            update["lifecyclestage"] = lifecycle
        return update

    def _name(self, field: str) -> str:
        return self.mapping.property_prefix + field

    # -- schema and links ------------------------------------------------------------------

    async def ensure_properties(self, fields: list[str]) -> list[str]:
        """Create our property group and any of our properties HubSpot lacks.

        Args:
            fields: Our field names (without the prefix) about to be written.

        Returns:
            The property names created now.
        """
        if self._known_properties is None:
            self._known_properties = set(await self.api.company_properties())
        wanted = [*props.BASE_FIELDS, *fields]
        missing = [f for f in wanted if self._name(f) not in self._known_properties]
        if not missing:
            return []
        group = self.mapping.property_group
        await self.api.create_group(group, props.GROUP_LABEL)
        created = []
        for field in missing:
            definition = props.definition(field, name=self._name(field), group=group)
            await self.api.create_property(definition)
            self._known_properties.add(definition["name"])
            created.append(definition["name"])
        return created

    async def record_url(self, record_id: str) -> str:
        """Where a person opens the company in HubSpot."""
        if self._portal_id is None:
            self._portal_id = await self.api.portal_id()
        base = self.mapping.app_url.rstrip("/")
        return f"{base}/contacts/{self._portal_id}/record/0-2/{record_id}"


def _moves_forward(current: str, wanted: str) -> bool:
    if wanted not in LIFECYCLE_ORDER:
        return current != wanted
    if current not in LIFECYCLE_ORDER:
        return True
    return LIFECYCLE_ORDER.index(wanted) > LIFECYCLE_ORDER.index(current)
