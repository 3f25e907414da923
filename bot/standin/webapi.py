"""Slack Web API methods answered from the stand-in's workspace store, in Slack's shapes."""

from __future__ import annotations

import copy
import time
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from bot.standin.ids import random_id
from bot.standin.payloads import BOT_ID, BOT_USER_ID
from bot.standin.store import StoredMessage, Workspace

Args = dict[str, Any]
Handler = Callable[[Args], dict[str, Any]]

MAX_BLOCKS_MESSAGE = 50
MAX_BLOCKS_VIEW = 100
MAX_SECTION_TEXT = 3000
MAX_MESSAGE_TEXT = 40_000
TRIGGER_LIFETIME_SECONDS = 3.0


class ApiError(Exception):
    """A Slack error answer: ``{"ok": false, "error": code}``."""

    def __init__(self, error: str) -> None:
        super().__init__(error)
        self.error = error


def _require(args: Args, name: str, error: str | None = None) -> Any:
    value = args.get(name)
    if value in (None, ""):
        raise ApiError(error or "invalid_arguments")
    return value


def _check_blocks(blocks: Any, limit: int) -> list[dict[str, Any]]:
    """Apply Slack's block limits so a bot that breaks them fails here as it would in Slack."""
    if blocks in (None, ""):
        return []
    if not isinstance(blocks, list) or len(blocks) > limit:
        raise ApiError("invalid_blocks")
    for block in blocks:
        if not isinstance(block, dict) or "type" not in block:
            raise ApiError("invalid_blocks")
        text = block.get("text")
        if isinstance(text, dict) and len(str(text.get("text", ""))) > MAX_SECTION_TEXT:
            raise ApiError("invalid_blocks")
    return copy.deepcopy(blocks)


class WebApi:
    """The Web API methods; each takes the call's arguments and returns Slack's answer."""

    def __init__(
        self,
        workspace: Workspace,
        *,
        team_id: str,
        users: Mapping[str, Mapping[str, Any]],
        missing_channels: set[str],
        upload_base: Callable[[], str],
    ) -> None:
        self.workspace = workspace
        self.team_id = team_id
        self.users: dict[str, dict[str, Any]] = {k: dict(v) for k, v in users.items()}
        self.missing_channels = missing_channels
        self.upload_base = upload_base
        self.triggers: dict[str, dict[str, Any]] = {}
        self.methods: dict[str, Handler] = {
            "auth.test": self.auth_test,
            "chat.postMessage": self.chat_post_message,
            "chat.update": self.chat_update,
            "chat.delete": self.chat_delete,
            "chat.postEphemeral": self.chat_post_ephemeral,
            "chat.getPermalink": self.chat_get_permalink,
            "conversations.open": self.conversations_open,
            "conversations.info": self.conversations_info,
            "conversations.replies": self.conversations_replies,
            "conversations.history": self.conversations_history,
            "users.info": self.users_info,
            "views.open": self.views_open,
            "views.update": self.views_update,
            "views.push": self.views_push,
            "views.publish": self.views_publish,
            "reactions.add": self.reactions_add,
            "files.getUploadURLExternal": self.files_get_upload_url,
            "files.completeUploadExternal": self.files_complete_upload,
        }

    # -- helpers -----------------------------------------------------------------------------

    def _channel(self, args: Args, name: str = "channel") -> str:
        channel = str(args.get(name) or "")
        if not channel or channel in self.missing_channels:
            raise ApiError("channel_not_found")
        if channel.startswith(("U", "W")):
            # Posting to a user id lands in the bot's DM with that user, as in Slack.
            return self.workspace.dm_for(channel)
        return channel

    def _message(self, channel: str, ts: Any) -> StoredMessage:
        message = self.workspace.find(channel, str(ts or ""))
        if message is None:
            raise ApiError("message_not_found")
        return message

    def register_trigger(self, trigger_id: str, user_id: str) -> None:
        """Tie a ``trigger_id`` to the user whose click made it, so a modal knows its owner."""
        self.triggers[trigger_id] = {"user": user_id, "at": time.monotonic(), "used": False}

    def _use_trigger(self, args: Args) -> str | None:
        trigger_id = str(_require(args, "trigger_id", "invalid_trigger_id"))
        known = self.triggers.get(trigger_id)
        if known is None:
            return None
        if known["used"] or time.monotonic() - known["at"] > TRIGGER_LIFETIME_SECONDS:
            raise ApiError("expired_trigger_id")
        known["used"] = True
        return str(known["user"])

    def _shape_view(self, view: Any, *, view_id: str | None = None) -> dict[str, Any]:
        if not isinstance(view, dict) or view.get("type") not in ("modal", "home"):
            raise ApiError("invalid_arguments")
        limit = MAX_BLOCKS_VIEW
        shaped = copy.deepcopy(view)
        shaped["blocks"] = _check_blocks(view.get("blocks", []), limit)
        if len(str(view.get("private_metadata", ""))) > 3000:
            raise ApiError("invalid_arguments")
        shaped.update(
            id=view_id or random_id("V", 10),
            team_id=self.team_id,
            state={"values": {}},
            hash=uuid.uuid4().hex[:16],
            app_id="A0001",
            bot_id=BOT_ID,
        )
        shaped.setdefault("private_metadata", "")
        shaped.setdefault("callback_id", "")
        return shaped

    # -- methods -----------------------------------------------------------------------------

    def auth_test(self, args: Args) -> dict[str, Any]:
        return {
            "ok": True,
            "url": "https://sdrbot-local.slack.com/",
            "team": "sdrbot local",
            "user": "sdrbot",
            "team_id": self.team_id,
            "user_id": BOT_USER_ID,
            "bot_id": BOT_ID,
            "is_enterprise_install": False,
        }

    def chat_post_message(self, args: Args) -> dict[str, Any]:
        channel = self._channel(args)
        text = str(args.get("text") or "")
        blocks = _check_blocks(args.get("blocks"), MAX_BLOCKS_MESSAGE)
        if not text and not blocks and not args.get("attachments"):
            raise ApiError("no_text")
        if len(text) > MAX_MESSAGE_TEXT:
            raise ApiError("msg_too_long")
        thread_ts = args.get("thread_ts") or None
        message = StoredMessage(
            channel=channel,
            ts=self.workspace.clock.next(),
            text=text,
            user=BOT_USER_ID,
            bot_id=BOT_ID,
            blocks=blocks,
            thread_ts=str(thread_ts) if thread_ts else None,
        )
        self.workspace.add_message(message)
        return {"ok": True, "channel": channel, "ts": message.ts, "message": message.to_slack()}

    def chat_update(self, args: Args) -> dict[str, Any]:
        channel = self._channel(args)
        message = self._message(channel, args.get("ts"))
        if message.bot_id != BOT_ID:
            raise ApiError("cant_update_message")
        if "text" in args:
            message.text = str(args.get("text") or "")
        if "blocks" in args:
            message.blocks = _check_blocks(args.get("blocks"), MAX_BLOCKS_MESSAGE)
        message.updated = True
        shaped = message.to_slack()
        self.workspace.emit({"kind": "message_changed", "message": shaped})
        return {
            "ok": True,
            "channel": channel,
            "ts": message.ts,
            "text": message.text,
            "message": shaped,
        }

    def chat_delete(self, args: Args) -> dict[str, Any]:
        channel = self._channel(args)
        message = self._message(channel, args.get("ts"))
        self.workspace.channels[channel].remove(message)
        self.workspace.emit({"kind": "message_deleted", "channel": channel, "ts": message.ts})
        return {"ok": True, "channel": channel, "ts": message.ts}

    def chat_post_ephemeral(self, args: Args) -> dict[str, Any]:
        channel = self._channel(args)
        user = str(_require(args, "user", "user_not_in_channel"))
        text = str(args.get("text") or "")
        blocks = _check_blocks(args.get("blocks"), MAX_BLOCKS_MESSAGE)
        if not text and not blocks:
            raise ApiError("no_text")
        ephemeral = {
            "channel": channel,
            "user": user,
            "ts": self.workspace.clock.next(),
            "text": text,
            "blocks": blocks,
            "thread_ts": args.get("thread_ts") or None,
        }
        self.workspace.ephemerals.append(ephemeral)
        self.workspace.emit({"kind": "ephemeral", "ephemeral": copy.deepcopy(ephemeral)})
        return {"ok": True, "message_ts": ephemeral["ts"]}

    def chat_get_permalink(self, args: Args) -> dict[str, Any]:
        channel = self._channel(args)
        message = self._message(channel, args.get("message_ts"))
        link = f"https://sdrbot-local.slack.com/archives/{channel}/p{message.ts.replace('.', '')}"
        if message.thread_ts and message.thread_ts != message.ts:
            link += f"?thread_ts={message.thread_ts}&cid={channel}"
        return {"ok": True, "channel": channel, "permalink": link}

    def conversations_open(self, args: Args) -> dict[str, Any]:
        users = args.get("users")
        if isinstance(users, list):
            users = ",".join(users)
        user_ids = [u for u in str(users or "").split(",") if u]
        if not user_ids:
            raise ApiError("users_list_not_supplied")
        channel = (
            self.workspace.dm_for(user_ids[0])
            if len(user_ids) == 1
            else ("G" + "".join(sorted(u.replace("_", "") for u in user_ids)))
        )
        return {"ok": True, "channel": {"id": channel}}

    def conversations_info(self, args: Args) -> dict[str, Any]:
        channel = self._channel(args)
        is_im = channel.startswith("D")
        info: dict[str, Any] = {
            "id": channel,
            "name": channel.lower(),
            "is_channel": channel.startswith("C"),
            "is_group": channel.startswith("G"),
            "is_im": is_im,
            "is_member": True,
            "is_private": not channel.startswith("C"),
        }
        if is_im:
            owner = [u for u, c in self.workspace.dms.items() if c == channel]
            info["user"] = owner[0] if owner else None
        return {"ok": True, "channel": info}

    def conversations_replies(self, args: Args) -> dict[str, Any]:
        channel = self._channel(args)
        ts = str(_require(args, "ts", "thread_not_found"))
        thread = self.workspace.thread(channel, ts)
        if not thread:
            raise ApiError("thread_not_found")
        return {
            "ok": True,
            "messages": [m.to_slack() for m in thread],
            "has_more": False,
            "response_metadata": {"next_cursor": ""},
        }

    def conversations_history(self, args: Args) -> dict[str, Any]:
        channel = self._channel(args)
        roots = [
            m
            for m in self.workspace.channels.get(channel, [])
            if not m.thread_ts or m.thread_ts == m.ts
        ]
        limit = int(args.get("limit") or 100)
        newest_first = [m.to_slack() for m in reversed(roots)][:limit]
        return {
            "ok": True,
            "messages": newest_first,
            "has_more": False,
            "response_metadata": {"next_cursor": ""},
        }

    def users_info(self, args: Args) -> dict[str, Any]:
        user_id = str(_require(args, "user", "user_not_found"))
        profile = self.users.get(user_id, {})
        name = str(profile.get("name") or user_id.lower())
        real_name = str(profile.get("real_name") or name.title())
        tz = str(profile.get("tz") or "Europe/Berlin")
        user = {
            "id": user_id,
            "team_id": self.team_id,
            "name": name,
            "real_name": real_name,
            "tz": tz,
            "tz_offset": int(profile.get("tz_offset", 3600)),
            "is_bot": user_id == BOT_USER_ID,
            "deleted": False,
            "profile": {
                "real_name": real_name,
                "display_name": str(profile.get("display_name") or real_name.split(" ")[0]),
                "email": profile.get("email") or f"{name}@example.com",
            },
        }
        return {"ok": True, "user": user}

    def views_open(self, args: Args) -> dict[str, Any]:
        user = self._use_trigger(args)
        view = self._shape_view(args.get("view"))
        view["root_view_id"] = view["id"]
        view["previous_view_id"] = None
        self.workspace.views[view["id"]] = {"view": view, "user": user, "open": True}
        self.workspace.emit({"kind": "view_opened", "view": copy.deepcopy(view), "user": user})
        return {"ok": True, "view": view}

    def views_push(self, args: Args) -> dict[str, Any]:
        user = self._use_trigger(args)
        view = self._shape_view(args.get("view"))
        view["root_view_id"] = view["id"]
        self.workspace.views[view["id"]] = {"view": view, "user": user, "open": True}
        self.workspace.emit({"kind": "view_pushed", "view": copy.deepcopy(view), "user": user})
        return {"ok": True, "view": view}

    def views_update(self, args: Args) -> dict[str, Any]:
        view_id = args.get("view_id")
        if not view_id and args.get("external_id"):
            matches = [
                k
                for k, v in self.workspace.views.items()
                if v["view"].get("external_id") == args["external_id"]
            ]
            view_id = matches[0] if matches else None
        known = self.workspace.views.get(str(view_id or ""))
        if known is None:
            raise ApiError("not_found")
        view = self._shape_view(args.get("view"), view_id=str(view_id))
        view["root_view_id"] = known["view"].get("root_view_id", view_id)
        known["view"] = view
        self.workspace.emit(
            {"kind": "view_updated", "view": copy.deepcopy(view), "user": known["user"]}
        )
        return {"ok": True, "view": view}

    def views_publish(self, args: Args) -> dict[str, Any]:
        user = str(_require(args, "user_id", "invalid_arguments"))
        previous = self.workspace.homes.get(user)
        view = self._shape_view(args.get("view"), view_id=previous["id"] if previous else None)
        if view.get("type") != "home":
            raise ApiError("invalid_arguments")
        self.workspace.homes[user] = view
        self.workspace.emit({"kind": "home", "user": user, "view": copy.deepcopy(view)})
        return {"ok": True, "view": view}

    def reactions_add(self, args: Args) -> dict[str, Any]:
        channel = self._channel(args)
        message = self._message(channel, args.get("timestamp"))
        name = str(_require(args, "name", "invalid_name"))
        users = message.reactions.setdefault(name, [])
        if BOT_USER_ID in users:
            raise ApiError("already_reacted")
        users.append(BOT_USER_ID)
        self.workspace.emit({"kind": "message_changed", "message": message.to_slack()})
        return {"ok": True}

    def files_get_upload_url(self, args: Args) -> dict[str, Any]:
        filename = str(_require(args, "filename", "invalid_arguments"))
        length = int(_require(args, "length", "invalid_arguments"))
        file_id = random_id("F", 10)
        self.workspace.files[file_id] = {
            "id": file_id,
            "name": filename,
            "length": length,
            "data": None,
            "completed": False,
        }
        return {"ok": True, "upload_url": f"{self.upload_base()}/{file_id}", "file_id": file_id}

    def store_upload(self, file_id: str, data: bytes) -> bool:
        """Keep the bytes sent to an upload URL; False when the URL was never handed out."""
        record = self.workspace.files.get(file_id)
        if record is None:
            return False
        record["data"] = data
        return True

    def files_complete_upload(self, args: Args) -> dict[str, Any]:
        entries = args.get("files")
        if not isinstance(entries, list) or not entries:
            raise ApiError("invalid_arguments")
        shared: list[dict[str, Any]] = []
        for entry in entries:
            record = self.workspace.files.get(str(entry.get("id")))
            if record is None or record["data"] is None:
                raise ApiError("file_not_found")
            record.update(completed=True, title=entry.get("title") or record["name"])
            shared.append(
                {
                    "id": record["id"],
                    "name": record["name"],
                    "title": record["title"],
                    "size": len(record["data"]),
                }
            )
        channel = args.get("channel_id")
        if channel:
            channel = self._channel(args, "channel_id")
            thread_ts = args.get("thread_ts") or None
            message = StoredMessage(
                channel=channel,
                ts=self.workspace.clock.next(),
                text=str(args.get("initial_comment") or ""),
                user=BOT_USER_ID,
                bot_id=BOT_ID,
                thread_ts=str(thread_ts) if thread_ts else None,
                files=shared,
            )
            self.workspace.add_message(message)
        self.workspace.emit({"kind": "files", "files": copy.deepcopy(shared), "channel": channel})
        return {"ok": True, "files": shared}
