"""Slack formatting stripped from a rep's answer before it is read.

Reps answer in Slack: ``*50k*``, ``_maybe_``, ``<@U123>``, ``<https://acme.com|acme.com>``,
``> quoted`` lines, ``:+1:`` and 👍. The reader wants the words; the original stays the evidence.
"""

from __future__ import annotations

import html
import re

# A link keeps its label, a bare link its address: "<https://x|acme>" reads "acme".
_LINK = re.compile(
    r"<(?:https?|mailto):[^|>\s]{0,500}\|([^>]{0,500})>|<((?:https?|mailto):[^>\s]{0,500})>"
)
# Mentions and channel tokens say who, not what: a mention of a person stays as "someone".
_MENTION = re.compile(r"<[@#!][^>\s]{1,80}>")
_QUOTE = re.compile(r"(?m)^\s*(?:>|&gt;)\s?")
# Emphasis markers around words; a lone "*" used as a bullet is handled with the bullets.
_EMPHASIS = re.compile(r"(?<![\w*_~`])([*_~`]{1,3})(?=\S)([^*_~`\n]{1,500}?)(?<=\S)\1(?![\w*_~`])")
_STRUCK = re.compile(r"(?<![\w~])~(?=\S)[^~\n]{1,500}?(?<=\S)~(?![\w~])")
_AGREE_EMOJI = re.compile(
    r":(?:\+1|thumbsup|thumbs_up|white_check_mark|heavy_check_mark|ok_hand|100):|👍|✅|✔️?|👌|💯"
)
_DISAGREE_EMOJI = re.compile(r":(?:-1|thumbsdown|thumbs_down|x|no_entry|no_entry_sign):|👎|❌|🚫")
_OTHER_EMOJI = re.compile(r":[a-z0-9_+\-]{1,40}:|[\U0001F000-\U0001FAFF\u2600-\u27BF\uFE0F]")


def unescape(text: str) -> str:
    """What the person typed: Slack delivers a typed ``&``, ``<`` and ``>`` as ``&amp;``,
    ``&lt;`` and ``&gt;`` and nothing else as an entity.

    Real mentions and links stay ``<...>`` tokens; escaping once on the way out keeps them, and
    a typed ``<!channel>``, inert.

    Args:
        text: Message, command or thread text as Slack delivered it.

    Returns:
        The text with those three entities turned back into characters (``&amp;`` last, so a
        typed ``&lt;`` stays ``&lt;``).
    """
    if "&" not in text:
        return text
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def plain(text: str) -> str:
    """The words of a Slack message: formatting, mentions and links reduced to plain text.

    Agreeing emoji read as "yes" and disagreeing ones as "no", since reps answer with them.

    Args:
        text: The message as Slack delivered it (``&amp;`` escapes allowed).

    Returns:
        Plain text for the reader; not the evidence (that stays the original).
    """
    text = html.unescape(text) if "&" in text else text
    text = _LINK.sub(lambda m: m[1] or m[2], text)
    text = _MENTION.sub(" someone ", text)
    text = _QUOTE.sub("", text)
    # Struck-out words are what the rep took back: "~we lead~ rather open" means "rather open".
    text = _STRUCK.sub(" ", text)
    text = _EMPHASIS.sub(r"\2", text)
    text = _AGREE_EMOJI.sub(" yes ", text)
    text = _DISAGREE_EMOJI.sub(" no ", text)
    return _OTHER_EMOJI.sub(" ", text)
