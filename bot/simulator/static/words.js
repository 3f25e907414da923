/* The page's own few words, in the bot's language; the bot's words come from its templates. */
"use strict";

const PageWords = (() => {
  const WORDS = {
    en: {
      onlyYou: "Only visible to you", replyInThread: "Reply in thread", reply: "reply",
      replies: "replies", replay: "Replay demo", playing: "Demo playing\u2026",
      waiting: "Demo starting\u2026", composer: "Message, or /qualify Acme Corp", threadInput: "Reply...",
      empty: "No messages yet. Try <code>/qualify Acme Corp</code>.", nothingHome: "Nothing published yet.",
      newChat: "\u2728 New chat with sdrbot",
    },
    de: {
      onlyYou: "Nur f\u00fcr dich sichtbar", replyInThread: "Im Thread antworten", reply: "Antwort",
      replies: "Antworten", replay: "Demo noch einmal", playing: "Demo l\u00e4uft\u2026",
      waiting: "Demo startet\u2026", composer: "Nachricht, oder /qualify M\u00fcller Maschinenbau",
      threadInput: "Antworten...", empty: "Noch keine Nachrichten. Probier <code>/qualify M\u00fcller Maschinenbau</code>.",
      nothingHome: "Noch nichts ver\u00f6ffentlicht.",
      newChat: "\u2728 Neuer Chat mit sdrbot",
    },
  };

  /** The words for ``language`` (``en`` or ``de``), English when unknown. */
  function forLanguage(language) {
    return WORDS[language] || WORDS.en;
  }

  return { forLanguage };
})();
