"""Wording templates: escaping, limits, and the two languages staying in step."""

from __future__ import annotations

import re

import pytest
from jinja2 import UndefinedError

from bot.rendering import (
    TextBook,
    Texts,
    clip,
    clip_escaped,
    create_environment,
    role_mentions,
    slack_escape,
)

HOSTILE = [
    "<!channel>",
    "<!here>",
    "<!subteam^S1>",
    "<@U123>",
    "<https://evil.example|click>",
    "<#C999>",
]
# Arguments that carry Slack ids the bot itself mentions on purpose.
ID_ARGUMENTS = {"rep", "user", "owner", "channel"}
LIVE_TOKEN = re.compile(r"<(?:!|@U123|https://evil|#C999)")


def _macros(texts: Texts) -> dict[str, list[str]]:
    module = texts._module  # the template module is the source of truth for macro names
    return {
        name: list(getattr(module, name).arguments)
        for name in dir(module)
        if not name.startswith("_") and hasattr(getattr(module, name), "arguments")
    }


@pytest.mark.parametrize("token", HOSTILE)
def test_slack_escape_neutralises_control_sequences(token: str) -> None:
    escaped = slack_escape(f"hi {token} & bye")
    assert "<" not in escaped and ">" not in escaped
    assert "&amp;" in escaped
    assert escaped.startswith("hi &lt;")


def test_slack_escape_of_none_is_empty() -> None:
    assert slack_escape(None) == ""


def test_clip_keeps_short_text_and_marks_cuts() -> None:
    assert clip("short", 10) == "short"
    cut = clip("x" * 50, 10)
    assert len(cut) == 10 and cut.endswith("…")


def test_clip_escaped_never_splits_an_entity_and_respects_the_limit() -> None:
    result = clip_escaped("&" * 100, 23)
    assert len(result) <= 23
    assert result.endswith("…")
    assert result[:-1] == "&amp;" * 4


def test_both_languages_define_the_same_macros_with_the_same_arguments() -> None:
    book = TextBook()
    assert _macros(book["en"]) == _macros(book["de"])
    assert len(_macros(book["en"])) > 40


@pytest.mark.parametrize("lang", ["en", "de"])
@pytest.mark.parametrize("token", HOSTILE)
def test_no_macro_lets_user_text_become_a_live_token(lang: str, token: str) -> None:
    texts = TextBook()[lang]
    for name, arguments in _macros(texts).items():
        values = {arg: ("U42" if arg in ID_ARGUMENTS else token) for arg in arguments}
        rendered = texts(name, **values)
        assert not LIVE_TOKEN.search(rendered), (name, rendered)


def test_missing_values_fail_loudly() -> None:
    env = create_environment()
    template = env.from_string("{{ missing }}")
    with pytest.raises(UndefinedError):
        template.render()


def test_unknown_macro_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        TextBook()["en"]("no_such_text")


def test_languages_differ_in_wording() -> None:
    book = TextBook()
    assert book["en"]("button_skip") != book["de"]("button_skip")
    assert book["de"]("verdict_word", verdict="hot") == "heiß"
    assert book["en"]("verdict_word", verdict="hot") == "hot"


def test_role_mentions_turn_only_well_formed_ids_into_mentions() -> None:
    shown = role_mentions(["UAE1", "S0TEAM", "@ae-team", "<!channel>"])
    assert shown == "&lt;!channel&gt;, @ae-team, <!subteam^S0TEAM>, <@UAE1>"


# A "<" in wording (outside {{ }} and {% %}) is Slack markup: only our own mention of an id,
# a user group or a link; "<lead>" as a placeholder must be written "&lt;lead&gt;".
# A link whose address is a value (``<{{ url }}|Open>``) reads "<|" once the value is taken out.
_WORDING_MARKUP = re.compile(r"<(?![@#!|]|https?:)")


@pytest.mark.parametrize("lang", ["en", "de"])
def test_wording_writes_placeholders_escaped(lang: str) -> None:
    env = create_environment()
    source = env.loader.get_source(env, f"{lang}/messages.j2")[0]
    wording = re.sub(r"{{.*?}}|{%.*?%}|{#.*?#}", "", source, flags=re.S)
    assert _WORDING_MARKUP.findall(wording) == []
    assert "&lt;lead&gt;" in Texts(create_environment(), lang)("lead_help").casefold()


def test_wording_is_escaped_once_and_unescaped_for_plain_text() -> None:
    from bot.blocks import plain

    texts = TextBook()["en"]
    line = texts("qualify_started", lead="Procter & Gamble <EU>")
    assert "Procter &amp; Gamble &lt;EU&gt;" in line
    # Used as a value of another macro, it is not escaped a second time.
    assert "&amp;amp;" not in texts("qualify_started", lead=line)
    assert plain(line)["text"].startswith("Starting the qualification of Procter & Gamble <EU>")
    assert plain("raw &amp; kept")["text"] == "raw &amp; kept"


def test_the_understood_line_names_authority_in_the_thread_language() -> None:
    book = TextBook()
    german = book["de"]("reading_line", name="Entscheidungsbefugnis", kind="role",
                        value="decides", words="", status="met")  # fmt: skip
    assert "entscheidet selbst" in german and "decides" not in german
    assert "braucht Freigabe" in book["de"]("reading_value", kind="role", value="influences")
    assert book["de"]("reading_value", kind="role", value="geschäftsführerin") == (
        "Geschäftsführerin"
    )
    assert book["de"]("reading_value", kind="role", value="cfo") == "CFO"
    assert "needs sign-off" in book["en"]("reading_value", kind="role", value="influences")


def test_the_textbook_knows_its_languages() -> None:
    assert TextBook().languages == ("de", "en")
