"""The workspace directory of the stand-in's Web API: people, user groups, channel members.

``users.info`` answers with the profile set for a user (``is_admin``, ``is_owner`` and
``locale`` included, the last only with ``include_locale``); ``usergroups.list`` and
``usergroups.users.list`` answer from the groups set with ``SlackStandIn.set_usergroup``;
``conversations.members`` from the members set with ``SlackStandIn.set_channel_members``.
Each needs its scope (``users:read``, ``usergroups:read``, ``channels:read`` or
``groups:read``), checked by ``Access`` before the method runs, as Slack does.
"""

from __future__ import annotations

from typing import Any

from bot.standin.apicommon import ApiError, Args, require
from bot.standin.payloads import BOT_USER_ID


def _flag(args: Args, name: str) -> bool:
    # Form-encoded calls send booleans as strings.
    return str(args.get(name, "")).lower() in ("true", "1")


class Directory:
    """``users.info``, ``usergroups.*`` and ``conversations.members``; mixed into ``WebApi``."""

    team_id: str
    users: dict[str, dict[str, Any]]
    usergroups: dict[str, dict[str, Any]]
    channel_members: dict[str, list[str]]
    # What ``users.info`` tells for a user set without a ``locale`` (Slack always has one).
    default_locale: str = "en-US"

    def _channel(self, args: Args, name: str = "channel") -> str:
        """Resolve a channel argument; ``WebApi`` provides it."""
        raise NotImplementedError

    def users_info(self, args: Args) -> dict[str, Any]:
        user_id = str(require(args, "user", "user_not_found"))
        profile = self.users.get(user_id, {})
        if profile.get("missing"):
            raise ApiError("user_not_found")
        name = str(profile.get("name") or user_id.lower())
        real_name = str(profile.get("real_name") or name.title())
        owner = bool(profile.get("is_owner"))
        user = {
            "id": user_id,
            "team_id": self.team_id,
            "name": name,
            "real_name": real_name,
            "tz": str(profile.get("tz") or "Europe/Berlin"),
            "tz_offset": int(profile.get("tz_offset", 3600)),
            "is_bot": user_id == BOT_USER_ID,
            # An owner is an admin too, as in Slack.
            "is_admin": bool(profile.get("is_admin")) or owner,
            "is_owner": owner,
            "is_primary_owner": bool(profile.get("is_primary_owner")),
            "deleted": False,
            "profile": {
                "real_name": real_name,
                "display_name": str(profile.get("display_name") or real_name.split(" ")[0]),
                "email": profile.get("email") or f"{name}@example.com",
            },
        }
        if _flag(args, "include_locale"):
            user["locale"] = str(profile.get("locale") or self.default_locale)
        return {"ok": True, "user": user}

    def usergroups_list(self, args: Args) -> dict[str, Any]:
        with_users = _flag(args, "include_users")
        with_disabled = _flag(args, "include_disabled")
        groups = []
        for group in self.usergroups.values():
            if group.get("date_delete") and not with_disabled:
                continue
            shaped = {
                "id": group["id"],
                "team_id": self.team_id,
                "is_usergroup": True,
                "name": group["name"],
                "description": group.get("description", ""),
                "handle": group["handle"],
                "is_external": False,
                "date_delete": group.get("date_delete", 0),
                "user_count": len(group["users"]),
            }
            if with_users:
                shaped["users"] = list(group["users"])
            groups.append(shaped)
        return {"ok": True, "usergroups": groups}

    def usergroups_users_list(self, args: Args) -> dict[str, Any]:
        group_id = str(require(args, "usergroup", "no_such_subteam"))
        group = self.usergroups.get(group_id)
        if group is None:
            raise ApiError("no_such_subteam")
        if group.get("date_delete") and not _flag(args, "include_disabled"):
            raise ApiError("subteam_disabled")
        return {"ok": True, "users": list(group["users"])}

    def conversations_members(self, args: Args) -> dict[str, Any]:
        channel = self._channel(args)
        if channel.startswith("D"):
            raise ApiError("method_not_supported_for_channel_type")
        members = self.channel_members.get(channel, [])
        limit = int(args.get("limit") or 100)
        if not 1 <= limit <= 1000:
            raise ApiError("invalid_limit")
        cursor = str(args.get("cursor") or "")
        if cursor and not cursor.isdigit():
            raise ApiError("invalid_cursor")
        start = int(cursor or 0)
        page = members[start : start + limit]
        following = str(start + limit) if start + limit < len(members) else ""
        return {"ok": True, "members": page, "response_metadata": {"next_cursor": following}}
