"""Slack Web API methods answered from the stand-in's workspace store, in Slack's shapes."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Mapping
from typing import Any

from bot.standin.access import Access
from bot.standin.apicommon import (
    MAX_BLOCKS_MESSAGE,
    MAX_MESSAGE_TEXT,
    ApiError,
    Args,
    Handler,
    check_blocks,
    require,
)
from bot.standin.assistant import AssistantThreads
from bot.standin.blockkit import call_problems
from bot.standin.directory import Directory
from bot.standin.functions import Functions
from bot.standin.payloads import BOT_ID, BOT_USER_ID
from bot.standin.store import StoredMessage, Workspace
from bot.standin.surfaces import ViewsAndFiles

__all__ = ["ApiError", "WebApi"]


def _flag(args: Args, name: str) -> bool:
    # Form-encoded calls send booleans as strings.
    return str(args.get(name, "")).lower() in ("true", "1")


def _metadata(raw: Any) -> dict[str, Any] | None:
    """Message metadata as Slack keeps it: ``{"event_type", "event_payload"}``, else nothing."""
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            raise ApiError("invalid_metadata_format") from None
    if raw is None:
        return None
    if not isinstance(raw, dict) or not isinstance(raw.get("event_type"), str):
        raise ApiError("invalid_metadata_format")
    return {"event_type": raw["event_type"], "event_payload": dict(raw.get("event_payload") or {})}


class WebApi(Directory, ViewsAndFiles, AssistantThreads):
    """The Web API methods; each takes the call's arguments and returns Slack's answer."""

    def __init__(
        self,
        workspace: Workspace,
        *,
        team_id: str,
        users: Mapping[str, Mapping[str, Any]],
        missing_channels: set[str],
        upload_base: Callable[[], str],
        access: Access,
    ) -> None:
        self.access = access
        self.workspace = workspace
        self.team_id = team_id
        self.users: dict[str, dict[str, Any]] = {k: dict(v) for k, v in users.items()}
        self.usergroups: dict[str, dict[str, Any]] = {}
        self.channel_members: dict[str, list[str]] = {}
        self.missing_channels = missing_channels
        self.upload_base = upload_base
        self.triggers: dict[str, dict[str, Any]] = {}
        self.functions = Functions()
        """The app's Workflow Builder steps and their runs."""
        self.block_kit_problems: list[str] = []
        """What slack_sdk's Block Kit models found wrong in the calls so far."""
        self.methods: dict[str, Handler] = {
            "auth.test": self.auth_test,
            "assistant.threads.setSuggestedPrompts": self.assistant_set_suggested_prompts,
            "assistant.threads.setStatus": self.assistant_set_status,
            "assistant.threads.setTitle": self.assistant_set_title,
            "chat.postMessage": self.chat_post_message,
            "chat.update": self.chat_update,
            "chat.delete": self.chat_delete,
            "chat.postEphemeral": self.chat_post_ephemeral,
            "chat.getPermalink": self.chat_get_permalink,
            "conversations.open": self.conversations_open,
            "conversations.info": self.conversations_info,
            "conversations.replies": self.conversations_replies,
            "conversations.history": self.conversations_history,
            "conversations.join": self.conversations_join,
            "conversations.members": self.conversations_members,
            "users.info": self.users_info,
            "usergroups.list": self.usergroups_list,
            "usergroups.users.list": self.usergroups_users_list,
            "views.open": self.views_open,
            "views.update": self.views_update,
            "views.push": self.views_push,
            "views.publish": self.views_publish,
            "reactions.add": self.reactions_add,
            "files.getUploadURLExternal": self.files_get_upload_url,
            "files.completeUploadExternal": self.files_complete_upload,
            "functions.completeSuccess": self.functions.complete_success,
            "functions.completeError": self.functions.complete_error,
        }

    def call(self, method: str, args: Args) -> dict[str, Any]:
        """Answer one call as Slack would, refusing it without the scope it needs.

        Raises:
            ApiError: Slack's error answer (``unknown_method`` for a method not stood in).
        """
        handler = self.methods.get(method)
        if handler is None:
            raise ApiError("unknown_method")
        channel = str(args.get("channel") or args.get("channel_id") or "")
        if channel.startswith(("U", "W")):
            channel = "D"  # posting to a user id lands in the DM
        users = args.get("users")
        count = len(users) if isinstance(users, list) else len(str(users or "").split(","))
        self.access.require(method, channel, users=count)
        self.block_kit_problems += call_problems(method, args)
        return handler(args)

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
        self.access.may_post(channel)
        text = str(args.get("text") or "")
        blocks = check_blocks(args.get("blocks"), MAX_BLOCKS_MESSAGE)
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
            metadata=_metadata(args.get("metadata")),
        )
        self.workspace.add_message(message)
        thread = self.workspace.assistant_threads.get((channel, str(thread_ts or "")))
        if thread is not None and thread.get("status"):
            # The app's reply in an assistant thread clears its status line, as in Slack.
            thread["status"] = ""
            self._changed(thread)
        return {"ok": True, "channel": channel, "ts": message.ts, "message": message.to_slack()}

    def chat_update(self, args: Args) -> dict[str, Any]:
        channel = self._channel(args)
        message = self._message(channel, args.get("ts"))
        if message.bot_id != BOT_ID:
            raise ApiError("cant_update_message")
        if "text" in args:
            message.text = str(args.get("text") or "")
        if "blocks" in args:
            message.blocks = check_blocks(args.get("blocks"), MAX_BLOCKS_MESSAGE)
        if args.get("metadata") is not None:
            # An update without metadata leaves the message's own as it is.
            message.metadata = _metadata(args.get("metadata"))
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
        if message.bot_id != BOT_ID:  # a bot token deletes only the bot's own posts
            raise ApiError("cant_delete_message")
        self.workspace.channels[channel].remove(message)
        self.workspace.emit({"kind": "message_deleted", "channel": channel, "ts": message.ts})
        return {"ok": True, "channel": channel, "ts": message.ts}

    def chat_post_ephemeral(self, args: Args) -> dict[str, Any]:
        channel = self._channel(args)
        user = str(require(args, "user", "user_not_in_channel"))
        text = str(args.get("text") or "")
        blocks = check_blocks(args.get("blocks"), MAX_BLOCKS_MESSAGE)
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
            "is_member": self.access.is_member(channel),
            "is_private": not channel.startswith("C"),
        }
        if is_im:
            owner = [u for u, c in self.workspace.dms.items() if c == channel]
            info["user"] = owner[0] if owner else None
        return {"ok": True, "channel": info}

    def conversations_join(self, args: Args) -> dict[str, Any]:
        channel = self._channel(args)
        if not channel.startswith("C"):
            raise ApiError("method_not_supported_for_channel_type")
        self.access.members.add(channel)
        return {"ok": True, "channel": {"id": channel, "is_channel": True, "is_member": True}}

    def _page(self, args: Args, messages: list[StoredMessage]) -> dict[str, Any]:
        """A read's answer: the messages between ``oldest`` and ``latest``, at most ``limit``
        (and never more than the read limit allows), oldest first unless ``newest_first``."""
        oldest = float(args.get("oldest") or 0)
        latest = float(args.get("latest") or "inf")
        inclusive = _flag(args, "inclusive")
        within = [
            m
            for m in messages
            if (oldest <= float(m.ts) <= latest if inclusive else oldest < float(m.ts) < latest)
            or m.ts == args.get("ts")
        ]
        limit = min(int(args.get("limit") or 100), self.access.read_limit.messages)
        with_metadata = _flag(args, "include_all_metadata")
        return {
            "ok": True,
            "messages": [m.to_slack(with_metadata=with_metadata) for m in within[:limit]],
            "has_more": len(within) > limit,
            "response_metadata": {"next_cursor": ""},
        }

    def conversations_replies(self, args: Args) -> dict[str, Any]:
        channel = self._channel(args)
        self.access.may_read(channel)
        ts = str(require(args, "ts", "thread_not_found"))
        thread = self.workspace.thread(channel, ts)
        if not thread:
            raise ApiError("thread_not_found")
        return self._page(args, thread)

    def conversations_history(self, args: Args) -> dict[str, Any]:
        channel = self._channel(args)
        self.access.may_read(channel)
        roots = [
            m
            for m in self.workspace.channels.get(channel, [])
            if not m.thread_ts or m.thread_ts == m.ts
        ]
        return self._page(args, list(reversed(roots)))

    def reactions_add(self, args: Args) -> dict[str, Any]:
        channel = self._channel(args)
        message = self._message(channel, args.get("timestamp"))
        name = str(require(args, "name", "invalid_name"))
        users = message.reactions.setdefault(name, [])
        if BOT_USER_ID in users:
            raise ApiError("already_reacted")
        users.append(BOT_USER_ID)
        self.workspace.emit({"kind": "message_changed", "message": message.to_slack()})
        return {"ok": True}
