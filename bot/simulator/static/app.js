/* The simulator page: polls the workspace state, renders it, and sends what the person does. */
"use strict";

const ui = {
  user: localStorage.getItem("sdrbot.user") || "U_REP1",
  channel: "C_SALES",
  pane: "channel",
  threadTs: null,
  state: null,
  seq: -1,
  poll: null,
  modalId: null,
};

const $ = (id) => document.getElementById(id);

function words() {
  return PageWords.forLanguage(ui.state?.language);
}

async function api(path, body) {
  const response = await fetch(`/api/${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ user: ui.user, ...body }),
  });
  return response.json();
}

function names() {
  const map = { UBOT: "sdrbot" };
  for (const person of ui.state ? ui.state.people : []) map[person.id] = person.real_name.split(" ")[0];
  return map;
}

function isRoot(message) {
  return !message.thread_ts || message.thread_ts === message.ts;
}

function clock(ts) {
  const date = new Date(parseFloat(ts) * 1000);
  return date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

function currentChannel() {
  return (ui.state?.channels || []).find((c) => c.id === ui.channel);
}

function messageNode(message, { ephemeral = false, inThread = false } = {}) {
  const node = document.createElement("div");
  node.className = "message" + (ephemeral ? " ephemeral" : "");
  node.dataset.ts = message.ts;
  const isBot = Boolean(message.bot_id) || ephemeral;
  const who = isBot ? "sdrbot" : names()[message.user] || message.user;
  const avatar = document.createElement("div");
  avatar.className = "avatar" + (isBot ? " bot" : "");
  avatar.textContent = who.charAt(0).toUpperCase();
  const body = document.createElement("div");
  body.className = "body";
  const head = document.createElement("div");
  head.innerHTML = `<span class="author">${BlockKit.escapeHtml(who)}</span>` +
    (isBot ? '<span class="app-badge">APP</span>' : "") +
    `<span class="time">${clock(message.ts)}</span>` +
    (message.edited ? ' <span class="edited">(edited)</span>' : "");
  body.appendChild(head);
  if (ephemeral) {
    const note = document.createElement("div");
    note.className = "ephemeral-note";
    note.textContent = words().onlyYou;
    body.appendChild(note);
  }
  const onAction = (action, control) => {
    control.disabled = true;
    api("action", {
      ...action,
      channel: message.channel || ui.channel,
      message_ts: ephemeral ? null : message.ts,
      ephemeral_ts: ephemeral ? message.ts : null,
      thread_ts: message.thread_ts || null,
    }).finally(() => { control.disabled = false; });
  };
  if (message.blocks && message.blocks.length) {
    body.appendChild(BlockKit.renderBlocks(message.blocks, { names: names(), onAction }));
  } else {
    const text = document.createElement("div");
    text.className = "text";
    text.innerHTML = BlockKit.mrkdwn(message.text, names());
    body.appendChild(text);
  }
  for (const file of message.files || []) {
    const line = document.createElement("div");
    line.className = "bk-context";
    line.textContent = `\u{1F4CE} ${file.title || file.name}`;
    body.appendChild(line);
  }
  if (!inThread && !ephemeral && message.reply_count) {
    const link = document.createElement("button");
    link.className = "thread-link";
    link.type = "button";
    link.textContent = `${message.reply_count} ${message.reply_count === 1 ? words().reply : words().replies}`;
    link.addEventListener("click", () => openThread(message.ts));
    body.appendChild(link);
  } else if (!inThread && !ephemeral) {
    const link = document.createElement("button");
    link.className = "thread-link reply-link";
    link.type = "button";
    link.textContent = words().replyInThread;
    link.addEventListener("click", () => openThread(message.ts));
    body.appendChild(link);
  }
  node.appendChild(avatar);
  node.appendChild(body);
  return node;
}

function keepScroll(container, render) {
  const atBottom = container.scrollHeight - container.scrollTop - container.clientHeight < 40;
  render();
  if (atBottom) container.scrollTop = container.scrollHeight;
}

function renderSidebar() {
  const select = $("user-select");
  if (!select.options.length) {
    for (const person of ui.state.people) {
      const option = document.createElement("option");
      option.value = person.id;
      option.textContent = `${person.real_name.split(" ")[0]} (${person.role})`;
      select.appendChild(option);
    }
  }
  select.value = ui.user;
  const me = ui.state.people.find((p) => p.id === ui.user);
  $("user-role").textContent = me ? me.real_name : "";
  for (const [listId, dm] of [["channel-list", false], ["dm-list", true]]) {
    const list = $(listId);
    list.innerHTML = "";
    for (const channel of ui.state.channels.filter((c) => Boolean(c.dm) === dm)) {
      const item = document.createElement("button");
      item.className = "nav-item" + (ui.pane === "channel" && channel.id === ui.channel ? " active" : "");
      item.dataset.channel = channel.id;
      item.textContent = dm ? channel.name : `# ${channel.name}`;
      item.addEventListener("click", () => showChannel(channel.id));
      list.appendChild(item);
    }
  }
  $("home-link").classList.toggle("active", ui.pane === "home");
}

function renderChannel() {
  const channel = currentChannel();
  if (!channel) return;
  $("channel-title").textContent = channel.dm ? channel.name : `# ${channel.name}`;
  $("channel-topic").textContent = channel.topic;
  const container = $("messages");
  keepScroll(container, () => {
    container.innerHTML = "";
    const items = channel.messages.filter(isRoot).map((m) => ({ m, ephemeral: false }));
    for (const e of ui.state.ephemerals) {
      if (e.channel === channel.id && !e.thread_ts) items.push({ m: e, ephemeral: true });
    }
    items.sort((a, b) => parseFloat(a.m.ts) - parseFloat(b.m.ts));
    if (!items.length) container.innerHTML = `<div class="empty">${words().empty}</div>`;
    for (const { m, ephemeral } of items) container.appendChild(messageNode(m, { ephemeral }));
  });
}

function renderThread() {
  const pane = $("thread");
  const channel = currentChannel();
  if (!ui.threadTs || !channel || ui.pane !== "channel") { pane.hidden = true; return; }
  pane.hidden = false;
  const container = $("thread-messages");
  keepScroll(container, () => {
    container.innerHTML = "";
    const items = channel.messages
      .filter((m) => m.ts === ui.threadTs || m.thread_ts === ui.threadTs)
      .map((m) => ({ m, ephemeral: false }));
    for (const e of ui.state.ephemerals) {
      if (e.channel === channel.id && e.thread_ts === ui.threadTs) items.push({ m: e, ephemeral: true });
    }
    items.sort((a, b) => parseFloat(a.m.ts) - parseFloat(b.m.ts));
    for (const { m, ephemeral } of items) {
      const node = messageNode(m, { ephemeral, inThread: true });
      if (m.ts === ui.threadTs) node.classList.add("thread-root");
      container.appendChild(node);
    }
  });
}

function assistantThread() {
  const channel = currentChannel();
  if (!channel || !channel.dm || !ui.threadTs) return null;
  return (ui.state.assistant_threads || []).find((t) => t.thread_ts === ui.threadTs) || null;
}

/* An assistant thread (the AI-app side panel) shows the bot's status line and its prompts. */
function renderAssistant() {
  const thread = ui.pane === "channel" ? assistantThread() : null;
  const status = $("assistant-status");
  status.hidden = !(thread && thread.status);
  status.textContent = thread && thread.status ? `sdrbot ${thread.status}` : "";
  const prompts = $("assistant-prompts");
  prompts.innerHTML = "";
  prompts.hidden = !(thread && thread.prompts && thread.prompts.length);
  if (prompts.hidden) return;
  for (const prompt of thread.prompts) {
    const chip = document.createElement("button");
    chip.type = "button";
    chip.className = "prompt-chip";
    chip.textContent = prompt.title;
    chip.addEventListener("click", () => {
      api("send", { channel: thread.channel_id, text: prompt.message, thread_ts: thread.thread_ts });
    });
    prompts.appendChild(chip);
  }
}

async function openAssistant() {
  const context = currentChannel() && !currentChannel().dm ? ui.channel : null;
  const opened = await api("assistant", { context });
  ui.pane = "channel";
  ui.channel = opened.channel;
  ui.threadTs = opened.thread_ts;
  refresh();
}

function renderHome() {
  const home = $("home");
  const showHome = ui.pane === "home";
  home.hidden = !showHome;
  $("messages").hidden = showHome;
  $("composer").hidden = showHome;
  if (!showHome) return;
  $("channel-title").textContent = "App Home";
  $("channel-topic").textContent = "sdrbot";
  home.innerHTML = "";
  const view = ui.state.home;
  if (!view) { home.innerHTML = `<div class="empty">${words().nothingHome}</div>`; return; }
  const onAction = (action) => api("action", { ...action, view_id: view.id });
  home.appendChild(BlockKit.renderBlocks(view.blocks, { names: names(), onAction }));
}

function renderModal() {
  const backdrop = $("modal-backdrop");
  const view = ui.state.modal;
  if (!view) { backdrop.hidden = true; ui.modalId = null; return; }
  const key = `${view.id}:${view.hash}`;
  if (ui.modalId === key) return;  // keep what the person already typed
  ui.modalId = key;
  backdrop.hidden = false;
  const form = $("modal");
  form.dataset.viewId = view.id;
  form.querySelector(".modal-title").textContent = view.title ? view.title.text : "";
  $("modal-submit").textContent = view.submit ? view.submit.text : "Submit";
  $("modal-submit").hidden = !view.submit && !view.blocks.some((b) => b.type === "input");
  $("modal-close").textContent = view.close ? view.close.text : "Cancel";
  const body = form.querySelector(".modal-body");
  body.innerHTML = "";
  const onAction = (action) => api("action", { ...action, view_id: view.id });
  const channels = (ui.state?.channels || []).filter((c) => !c.dm);
  body.appendChild(BlockKit.renderBlocks(view.blocks, { names: names(), channels, onAction }));
  const first = body.querySelector("input, textarea, select");
  if (first) first.focus();
}

function renderChrome() {
  const w = words();
  document.documentElement.lang = ui.state.language || "en";
  $("composer-input").placeholder = w.composer;
  $("thread-input").placeholder = w.threadInput;
  $("assistant-link").textContent = w.newChat;
  const replay = $("demo-replay");
  const demo = ui.state.demo;
  replay.hidden = !demo;
  if (!demo) return;
  replay.disabled = demo.running || demo.plays === 0;
  replay.textContent = demo.running ? w.playing : demo.plays === 0 ? w.waiting : w.replay;
}

function render() {
  if (!ui.state) return;
  renderChrome();
  renderSidebar();
  renderHome();
  if (ui.pane === "channel") renderChannel();
  renderThread();
  renderAssistant();
  renderModal();
}

function showChannel(id) {
  ui.pane = "channel";
  if (ui.channel !== id) ui.threadTs = null;
  ui.channel = id;
  render();
}

function openThread(ts) {
  ui.threadTs = ts;
  render();
  $("thread-input").focus();
}

async function pollLoop() {
  for (;;) {
    const controller = new AbortController();
    ui.poll = controller;
    try {
      const response = await fetch(`/api/state?user=${encodeURIComponent(ui.user)}&since=${ui.seq}`, { signal: controller.signal });
      const state = await response.json();
      if (state.user === ui.user) {
        ui.state = state;
        ui.seq = state.seq;
        render();
      }
    } catch (error) {
      if (error.name !== "AbortError") await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

function refresh() {
  ui.seq = -1;
  if (ui.poll) ui.poll.abort();
}

function bindComposer(formId, inputId, threadOf) {
  const input = $(inputId);
  const send = async () => {
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    await api("send", { channel: ui.channel, text, thread_ts: threadOf() });
  };
  $(formId).addEventListener("submit", (event) => { event.preventDefault(); send(); });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); send(); }
  });
}

function bindModal() {
  $("modal").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = $("modal");
    for (const old of form.querySelectorAll(".field-error")) old.remove();
    const result = await api("submit", { view_id: form.dataset.viewId, values: BlockKit.stateValues(form) });
    for (const [blockId, message] of Object.entries(result.errors || {})) {
      const field = form.querySelector(`.bk-input[data-block-id="${CSS.escape(blockId)}"]`);
      if (field) {
        const note = document.createElement("div");
        note.className = "field-error";
        note.textContent = message;
        field.appendChild(note);
      }
    }
    if (!Object.keys(result.errors || {}).length) { $("modal-backdrop").hidden = true; refresh(); }
  });
  $("modal-close").addEventListener("click", async () => {
    await api("close", { view_id: $("modal").dataset.viewId });
    $("modal-backdrop").hidden = true;
    refresh();
  });
}

function init() {
  BlockKit.setConfirm(ConfirmDialog.ask);
  $("demo-replay").addEventListener("click", async () => {
    $("demo-replay").disabled = true;
    await api("demo", {});
  });
  bindComposer("composer", "composer-input", () => null);
  bindComposer("thread-composer", "thread-input", () => ui.threadTs);
  bindModal();
  $("thread-close").addEventListener("click", () => { ui.threadTs = null; render(); });
  $("assistant-link").addEventListener("click", openAssistant);
  $("home-link").addEventListener("click", () => {
    ui.pane = "home";
    ui.threadTs = null;
    render();
    api("home", {});
  });
  $("user-select").addEventListener("change", (event) => {
    ui.user = event.target.value;
    localStorage.setItem("sdrbot.user", ui.user);
    ui.modalId = null;
    // Ephemerals belong to the previous user: hide them before the new user's state arrives.
    if (ui.state) ui.state.ephemerals = [];
    render();
    if (ui.pane === "home") api("home", {});
    refresh();
  });
  pollLoop();
}

init();
