/* Block Kit and mrkdwn rendering for the simulator: enough of Slack's look to read and click. */
"use strict";

const BlockKit = (() => {
  function escapeHtml(text) {
    return String(text)
      .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
  }

  // Slack sends &, <, > escaped inside mrkdwn text; undo that before our own escaping.
  function unescapeSlack(text) {
    return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
  }

  // The shortcodes the bot's templates use (grep templates/ for :name:), so the page reads like
  // Slack; unknown ones stay as typed, as Slack shows a shortcode it does not know.
  const EMOJI = {
    bar_chart: "\u{1F4CA}", bell: "\u{1F514}", chart_with_upwards_trend: "\u{1F4C8}",
    clipboard: "\u{1F4CB}", dart: "\u{1F3AF}", double_vertical_bar: "\u23F8\uFE0F",
    eyes: "\u{1F440}", fire: "\u{1F525}", handshake: "\u{1F91D}", hourglass: "\u231B",
    information_source: "\u2139\uFE0F", link: "\u{1F517}", mag: "\u{1F50D}", memo: "\u{1F4DD}",
    no_entry: "\u26D4", arrow_down: "\u2B07\uFE0F", busts_in_silhouette: "\u{1F465}",
    no_entry_sign: "\u{1F6AB}", pause_button: "\u23F8\uFE0F", rocket: "\u{1F680}",
    rotating_light: "\u{1F6A8}", seedling: "\u{1F331}", snowflake: "\u2744\uFE0F",
    speech_balloon: "\u{1F4AC}", sunny: "\u2600\uFE0F", tada: "\u{1F389}", thermometer: "\u{1F321}\uFE0F",
    thumbsdown: "\u{1F44E}", thumbsup: "\u{1F44D}", trophy: "\u{1F3C6}", warning: "\u26A0\uFE0F",
    wave: "\u{1F44B}", white_check_mark: "\u2705", x: "\u274C", zzz: "\u{1F4A4}",
    gear: "\u2699\uFE0F", hourglass_flowing_sand: "\u23F3", pushpin: "\u{1F4CC}",
    "+1": "\u{1F44D}", "-1": "\u{1F44E}",
  };

  /** Replace known :shortcodes: with their emoji; the text may already be HTML-escaped. */
  function emojify(text) {
    return String(text).replace(/:([a-z0-9_+-]+):/g, (code, name) => EMOJI[name] || code);
  }

  function safeHref(url) {
    return /^(https?:|mailto:)/i.test(url) ? url : null;
  }

  function formatPlain(text) {
    let html = escapeHtml(unescapeSlack(text));
    html = html.replace(/```([\s\S]+?)```/g, (_, code) => `<pre>${code}</pre>`);
    html = html.replace(/`([^`\n]+)`/g, (_, code) => `<code>${code}</code>`);
    html = html.replace(/(^|[\s(>])\*([^*\n]+)\*(?=[\s.,;:!?)<]|$)/g, "$1<b>$2</b>");
    html = html.replace(/(^|[\s(>])_([^_\n]+)_(?=[\s.,;:!?)<]|$)/g, "$1<i>$2</i>");
    html = html.replace(/(^|[\s(>])~([^~\n]+)~(?=[\s.,;:!?)<]|$)/g, "$1<s>$2</s>");
    html = emojify(html);
    return html.replace(/\n/g, "<br>");
  }

  function formatToken(token, names) {
    const [target, label] = token.split("|", 2);
    if (target.startsWith("@")) {
      const id = target.slice(1);
      return `<span class="mention" data-user="${escapeHtml(id)}">@${escapeHtml(names[id] || label || id)}</span>`;
    }
    if (target.startsWith("#")) {
      return `<span class="mention">#${escapeHtml(label || target.slice(1))}</span>`;
    }
    if (target.startsWith("!")) {
      const word = target.slice(1).split("^")[0];
      return `<span class="mention">@${escapeHtml(label || word)}</span>`;
    }
    const href = safeHref(unescapeSlack(target));
    const text = escapeHtml(unescapeSlack(label || target));
    return href ? `<a href="${escapeHtml(href)}" target="_blank" rel="noopener">${text}</a>` : text;
  }

  /** Render Slack mrkdwn as safe HTML: user text is escaped, only our own tags are added. */
  function mrkdwn(text, names = {}) {
    const source = String(text ?? "");
    let html = "";
    let last = 0;
    for (const match of source.matchAll(/<([^<>\s][^<>]*)>/g)) {
      html += formatPlain(source.slice(last, match.index));
      html += formatToken(match[1], names);
      last = match.index + match[0].length;
    }
    return html + formatPlain(source.slice(last));
  }

  function textHtml(textObject, names) {
    if (!textObject) return "";
    if (textObject.type === "plain_text") {
      // Slack draws shortcodes in plain_text too unless the object says "emoji": false.
      const html = escapeHtml(textObject.text);
      return (textObject.emoji === false ? html : emojify(html)).replace(/\n/g, "<br>");
    }
    return mrkdwn(textObject.text, names);
  }

  function el(tag, className, html) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (html !== undefined) node.innerHTML = html;
    return node;
  }

  // Asks before a button with Slack's "confirm" object acts; the page sets it (setConfirm).
  let askConfirm = async () => true;

  function button(element, block, ctx) {
    const node = el("button", `bk-button ${element.style || ""}`.trim(), textHtml(element.text, ctx.names));
    node.type = "button";
    node.dataset.actionId = element.action_id || "";
    node.addEventListener("click", async () => {
      if (element.confirm && !(await askConfirm(element.confirm, ctx.names))) return;
      ctx.onAction({
        action_id: element.action_id, block_id: block.block_id, value: element.value ?? null,
      }, node);
    });
    return node;
  }

  function options(element) {
    return (element.options || []).concat(...(element.option_groups || []).map((g) => g.options || []));
  }

  function select(element, block, ctx, interactive) {
    const node = el("select", "bk-select");
    node.dataset.actionId = element.action_id || "";
    const placeholder = el("option", "", escapeHtml(element.placeholder ? element.placeholder.text : "Choose..."));
    placeholder.value = "";
    node.appendChild(placeholder);
    const all = options(element);
    for (const option of all) {
      const item = el("option", "", escapeHtml(option.text.text));
      item.value = option.value;
      if (element.initial_option && element.initial_option.value === option.value) item.selected = true;
      node.appendChild(item);
    }
    if (interactive) {
      node.addEventListener("change", () => {
        const chosen = all.find((o) => o.value === node.value);
        if (chosen) ctx.onAction({ action_id: element.action_id, block_id: block.block_id, selected_option: chosen }, node);
      });
    }
    return node;
  }

  // Slack's thumbs: two small buttons that send the clicked one's value.
  function feedbackButtons(element, block, ctx) {
    const node = el("span", "bk-feedback");
    for (const choice of [element.positive_button, element.negative_button]) {
      if (!choice) continue;
      node.appendChild(button({ ...choice, action_id: element.action_id }, block, ctx));
    }
    return node;
  }

  function element(element, block, ctx) {
    if (element.type === "button") return button(element, block, ctx);
    if (element.type === "feedback_buttons") return feedbackButtons(element, block, ctx);
    if (element.type === "static_select") return select(element, block, ctx, true);
    if (element.type === "image") return el("span", "bk-image", `[${escapeHtml(element.alt_text || "image")}]`);
    if (element.text) return el("span", "", textHtml(element.text, ctx.names));
    return el("span", "", "");
  }

  // Selects Slack fills itself (people, channels) and the multi-selects, as <select> lists:
  // kind -> [multiple, where the choices come from, the state key Slack sends].
  const PICKERS = {
    multi_static_select: [true, "options", "selected_options"],
    users_select: [false, "people", "selected_user"],
    multi_users_select: [true, "people", "selected_users"],
    conversations_select: [false, "channels", "selected_conversation"],
    channels_select: [false, "channels", "selected_channel"],
  };

  function picker(field, ctx) {
    const [multiple, source, _key] = PICKERS[field.type];
    const node = el("select", "bk-select");
    node.multiple = multiple;
    node.dataset.kind = field.type;
    let choices;
    if (source === "options") choices = options(field).map((o) => [o.value, o.text.text]);
    else if (source === "people") choices = Object.entries(ctx.names || {}).filter(([id]) => id !== "UBOT");
    else choices = (ctx.channels || []).map((c) => [c.id, `#${c.name || c.id}`]);
    const initial = new Set([
      ...(field.initial_options || []).map((o) => o.value),
      ...(field.initial_users || []), field.initial_user,
      field.initial_conversation, field.initial_channel,
    ].filter(Boolean));
    for (const id of initial) if (!choices.some(([value]) => value === id)) choices.push([id, id]);
    if (!multiple) {
      const none = el("option", "", "—");
      none.value = "";
      node.appendChild(none);
    }
    for (const [value, label] of choices) {
      const item = el("option", "", escapeHtml(label));
      item.value = value;
      item.selected = initial.has(value);
      node.appendChild(item);
    }
    return node;
  }

  function pickedState(control) {
    const [multiple, source, key] = PICKERS[control.dataset.kind];
    const picked = [...control.selectedOptions].filter((o) => o.value);
    let value;
    if (source === "options") {
      value = picked.map((o) => ({ text: { type: "plain_text", text: o.text }, value: o.value }));
    } else {
      value = multiple ? picked.map((o) => o.value) : (picked[0] ? picked[0].value : null);
    }
    return { type: control.dataset.kind, [key]: value };
  }

  function input(block, ctx) {
    const node = el("div", "bk-input");
    node.dataset.blockId = block.block_id || "";
    const field = block.element || {};
    const label = el("label", "", textHtml(block.label, ctx.names) + (block.optional ? " <small>(optional)</small>" : ""));
    node.appendChild(label);
    let control;
    if (field.type === "static_select") {
      control = select(field, block, ctx, false);
      control.dataset.kind = "static_select";
    } else if (PICKERS[field.type]) {
      control = picker(field, ctx);
    } else {
      control = el(field.multiline ? "textarea" : "input");
      if (!field.multiline) control.type = "text";
      control.value = field.initial_value || "";
      if (field.placeholder) control.placeholder = field.placeholder.text;
      if (field.max_length) control.maxLength = field.max_length;
      control.dataset.kind = "plain_text_input";
    }
    control.dataset.actionId = field.action_id || "";
    control.id = `input-${block.block_id}`;
    label.htmlFor = control.id;
    node.appendChild(control);
    if (block.hint) node.appendChild(el("div", "bk-context", textHtml(block.hint, ctx.names)));
    return node;
  }

  function block(block, ctx) {
    switch (block.type) {
      case "section": {
        const node = el("div", "bk-section");
        const main = el("div", "bk-text", textHtml(block.text, ctx.names));
        if (block.fields) {
          const fields = el("div", "bk-fields");
          for (const field of block.fields) fields.appendChild(el("div", "", textHtml(field, ctx.names)));
          main.appendChild(fields);
        }
        node.appendChild(main);
        if (block.accessory) node.appendChild(element(block.accessory, block, ctx));
        return node;
      }
      case "context": {
        const node = el("div", "bk-context");
        for (const item of block.elements || []) {
          const html = item.type === "image" ? `[${escapeHtml(item.alt_text || "image")}]` : textHtml(item, ctx.names);
          node.appendChild(el("span", "", html + " "));
        }
        return node;
      }
      case "divider": return el("hr", "bk-divider");
      case "header": return el("div", "bk-header", textHtml(block.text, ctx.names));
      case "actions": {
        const node = el("div", "bk-actions");
        node.dataset.blockId = block.block_id || "";
        for (const item of block.elements || []) node.appendChild(element(item, block, ctx));
        return node;
      }
      case "context_actions": {
        const node = el("div", "bk-actions bk-context-actions");
        node.dataset.blockId = block.block_id || "";
        for (const item of block.elements || []) node.appendChild(element(item, block, ctx));
        return node;
      }
      case "input": return input(block, ctx);
      case "image": return el("div", "bk-context", `[${escapeHtml(block.alt_text || "image")}]`);
      default: return el("div", "bk-context", `[${escapeHtml(block.type)} block]`);
    }
  }

  /** Render a list of blocks; ctx = {names, onAction(action, node)}. */
  function renderBlocks(blocks, ctx) {
    const container = el("div", "blocks");
    for (const item of blocks || []) container.appendChild(block(item, ctx));
    return container;
  }

  /** Read a modal's input blocks as Slack's view.state.values. */
  function stateValues(root) {
    const values = {};
    for (const field of root.querySelectorAll(".bk-input")) {
      const control = field.querySelector("input, textarea, select");
      if (!control) continue;
      const blockId = field.dataset.blockId;
      values[blockId] = values[blockId] || {};
      if (PICKERS[control.dataset.kind]) {
        values[blockId][control.dataset.actionId] = pickedState(control);
      } else if (control.dataset.kind === "static_select") {
        const option = control.value ? { text: { type: "plain_text", text: control.selectedOptions[0].text }, value: control.value } : null;
        values[blockId][control.dataset.actionId] = { type: "static_select", selected_option: option };
      } else {
        values[blockId][control.dataset.actionId] = { type: "plain_text_input", value: control.value || null };
      }
    }
    return values;
  }

  function setConfirm(ask) { askConfirm = ask; }

  return { emojify, escapeHtml, mrkdwn, renderBlocks, setConfirm, stateValues, textHtml };
})();
