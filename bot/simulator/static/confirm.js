/* Slack's confirm dialog: asked before a button that carries a "confirm" object acts. */
"use strict";

const ConfirmDialog = (() => {
  /** Show the dialog for a "confirm" object; resolves to true when the person confirms. */
  function ask(confirm, people) {
    const backdrop = document.getElementById("confirm-backdrop");
    const dialog = document.getElementById("confirm");
    dialog.querySelector(".modal-title").innerHTML = BlockKit.textHtml(confirm.title, people);
    dialog.querySelector(".modal-body").innerHTML = BlockKit.textHtml(confirm.text, people);
    const ok = document.getElementById("confirm-ok");
    const deny = document.getElementById("confirm-deny");
    ok.innerHTML = BlockKit.textHtml(confirm.confirm, people) || "OK";
    deny.innerHTML = BlockKit.textHtml(confirm.deny, people) || "Cancel";
    ok.className = confirm.style === "danger" ? "danger" : "primary";
    backdrop.hidden = false;
    ok.focus();
    return new Promise((resolve) => {
      const finish = (answer) => {
        backdrop.hidden = true;
        ok.onclick = null;
        deny.onclick = null;
        resolve(answer);
      };
      ok.onclick = () => finish(true);
      deny.onclick = () => finish(false);
    });
  }

  return { ask };
})();
