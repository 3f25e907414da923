"""The Add to Slack page and the pages after Slack's redirect speak the team's language."""

from __future__ import annotations

from bot.install import install_page, page
from bot.rendering import TextBook

URL = "https://slack.com/oauth/v2/authorize?client_id=1.2&scope=commands,chat:write&state=a&b"


def test_the_add_to_slack_page_in_english_and_german_links_to_slack_once() -> None:
    book = TextBook()
    english = install_page(book["en"], URL)
    german = install_page(book["de"], URL)
    assert ">Add to Slack</a>" in english and "<title>Add sdrbot to your Slack workspace" in english
    assert ">Zu Slack hinzufügen</a>" in german
    for html in (english, german):
        assert html.count("<a href=") == 1
        assert 'href="https://slack.com/oauth/v2/authorize?client_id=1.2&amp;scope=' in html


def test_a_failed_install_says_why_in_words_people_read() -> None:
    t = TextBook()["de"]
    assert "abgebrochen" in t("install_failed", reason="access_denied")
    assert "abgelaufen" in t("install_failed", reason="invalid_state")
    assert "(invalid_code)" in t("install_failed", reason="invalid_code")
    done = TextBook()["en"]("install_done", team="Other & <Co>")
    assert "Other &amp; &lt;Co&gt;" in page("Done", done) and "&amp;amp;" not in page("Done", done)
