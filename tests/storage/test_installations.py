"""Installations, their bot tokens and OAuth states on our database (SQLite and PostgreSQL),
and a workspace's data erased without touching another's."""

from __future__ import annotations

import time

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from slack_sdk.oauth.installation_store.models.installation import Installation
from sqlalchemy import inspect
from sqlmodel import SQLModel

from flows.config import load_frameworks
from flows.model import Status
from storage.db import session_scope
from storage.installations import (
    SLACK_TABLE_NAMES,
    InstallationStore,
    StateStore,
    slack_metadata,
)
from storage.leads import list_leads
from storage.models import TABLE_NAMES
from storage.phrases import learn_phrase, list_phrases
from storage.workspace_settings import get_settings, save_settings
from storage.workspaces import erase_workspace


def _installation(team_id: str, token: str, *, enterprise_id: str | None = None) -> Installation:
    return Installation(
        app_id="A0001",
        enterprise_id=enterprise_id,
        team_id=team_id,
        team_name=f"Team {team_id}",
        bot_token=token,
        bot_id="BBOT",
        bot_user_id="UBOT",
        bot_scopes="commands,chat:write",
        user_id="UADMIN",
        installed_at=time.time(),
    )


def test_the_migration_creates_slack_sdks_tables_as_slack_sdk_defines_them(engine):
    def slack_sdks(obj, name, type_, reflected, other) -> bool:
        table = name if type_ == "table" else getattr(getattr(obj, "table", None), "name", None)
        return table in SLACK_TABLE_NAMES

    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": slack_sdks}
        )
        assert compare_metadata(context, slack_metadata()) == []
    with engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
    assert tables >= SLACK_TABLE_NAMES


def test_installs_of_two_workspaces_stay_apart_and_an_uninstall_removes_one(engine):
    store = InstallationStore("1111.2222", engine)
    store.sync.save(_installation("T1", "xoxb-one"))
    store.sync.save(_installation("T2", "xoxb-two", enterprise_id="E1"))
    InstallationStore("other-app", engine).sync.save(_installation("T3", "xoxb-other-app"))

    assert store.find_team_bot("T1").bot_token == "xoxb-one"
    assert store.find_team_bot("T2").bot_token == "xoxb-two"  # found without its org's id
    assert store.find_team_bot("T3") is None  # another app's install is not ours

    store.sync.delete_bot(enterprise_id=None, team_id="T1")
    store.sync.delete_installation(enterprise_id=None, team_id="T1")
    assert store.find_team_bot("T1") is None
    assert store.find_team_bot("T2").bot_token == "xoxb-two"


def test_a_rotated_token_is_kept_in_the_bot_and_its_installation(engine):
    store = InstallationStore("1111.2222", engine)
    store.sync.save(_installation("T1", "xoxe.xoxb-old"))
    bot = store.find_team_bot("T1")
    bot.bot_token = "xoxe.xoxb-new"
    bot.bot_refresh_token = "xoxe-1-next"
    bot.bot_token_expires_at = int(time.time()) + 43_200
    store.save_rotated_bot(bot)
    assert store.find_team_bot("T1").bot_token == "xoxe.xoxb-new"
    found = store.sync.find_installation(enterprise_id=None, team_id="T1")
    assert found.bot_token == "xoxe.xoxb-new" and found.bot_refresh_token == "xoxe-1-next"


def test_a_state_is_good_once(engine):
    states = StateStore(engine)
    state = states.sync.issue()
    assert states.sync.consume(state) is True
    assert states.sync.consume(state) is False
    assert states.sync.consume("never-issued") is False


def test_erasing_a_workspace_leaves_every_other_workspace_alone(engine, make_qualification):
    for team in ("T1", "T2"):
        make_qualification(team_id=team, lead_name="Acme Corp")
        with session_scope(engine) as session:
            assert learn_phrase(
                session=session,
                team_id=team,
                criterion=load_frameworks()["bant"].criterion("authority"),
                text="steerco signs off",
                status=Status.MET,
                created_by="U1",
            )
            save_settings(
                session=session, team_id=team, values={"alert_channel": "C1"}, updated_by="U1"
            )

    # Every table of ours is scoped by workspace, so none is left out of the erasure.
    assert all("team_id" in SQLModel.metadata.tables[name].c for name in TABLE_NAMES)
    with session_scope(engine) as session:
        deleted = erase_workspace(session=session, team_id="T1")
    assert {"lead", "qualification", "learned_phrase", "workspace_setting"} <= set(deleted)
    with session_scope(engine) as session:
        assert list_leads(session=session, team_id="T1") == []
        assert [lead.name for lead in list_leads(session=session, team_id="T2")] == ["Acme Corp"]
        assert list_phrases(session=session, team_id="T1") == []
        assert len(list_phrases(session=session, team_id="T2")) == 1
        assert get_settings(session=session, team_id="T1") is None
        assert get_settings(session=session, team_id="T2") is not None
