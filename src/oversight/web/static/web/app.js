// Oversight's pages: live countdowns, keyboard shortcuts for the queue and the review actions.
// Progressive enhancement only: every page works without this script. No inline script (CSP).
(function () {
  "use strict";

  const MINUTE = 60 * 1000;
  const HOUR = 60 * MINUTE;

  function spell(milliseconds, labels) {
    const late = milliseconds < 0;
    let rest = Math.abs(milliseconds);
    const days = Math.floor(rest / (24 * HOUR));
    rest -= days * 24 * HOUR;
    const hours = Math.floor(rest / HOUR);
    const minutes = Math.floor((rest - hours * HOUR) / MINUTE);
    const parts = [];
    if (days) parts.push(days + " " + labels.d);
    if (hours || days) parts.push(hours + " " + labels.h);
    parts.push(minutes + " " + labels.m);
    const span = parts.join(" ");
    return late ? labels.late.replace("%s", span) : labels.left.replace("%s", span);
  }

  function tick() {
    const now = Date.now();
    document.querySelectorAll("[data-due]").forEach((element) => {
      const due = Date.parse(element.dataset.due);
      const started = Date.parse(element.dataset.started || element.dataset.due);
      if (Number.isNaN(due)) return;
      const left = due - now;
      const whole = Math.max(due - started, HOUR);
      const labels = {
        d: element.dataset.d || "d", h: element.dataset.h || "h", m: element.dataset.m || "min",
        left: element.dataset.left || "%s left", late: element.dataset.late || "overdue by %s",
      };
      const text = element.querySelector("[data-countdown]") || element;
      text.textContent = spell(left, labels);
      element.classList.toggle("late", left < 0);
      element.classList.toggle("red", left >= 0 && (left < HOUR || left < whole * 0.1));
      element.classList.toggle("amber", left >= 0 && left >= HOUR && left < whole * 0.25);
    });
  }

  function typing(event) {
    const target = event.target;
    return target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  function queueKeys(event) {
    const rows = Array.from(document.querySelectorAll("[data-queue-row]"));
    if (!rows.length) return false;
    const current = rows.indexOf(document.activeElement.closest ? document.activeElement.closest("[data-queue-row]") : null);
    if (event.key === "j" || event.key === "k") {
      const next = event.key === "j" ? Math.min(current + 1, rows.length - 1) : Math.max(current - 1, 0);
      rows[next].querySelector("a").focus();
      return true;
    }
    return false;
  }

  function actionKeys(event) {
    const map = { a: "agree", r: "return", x: "refuse", g: "grant", d: "deny", p: "petition", c: "consent" };
    const name = map[event.key];
    if (!name) return false;
    const form = document.querySelector("[data-action=" + name + "]");
    if (!form) return false;
    const reason = form.querySelector("textarea");
    (reason || form.querySelector("button")).focus();
    return true;
  }

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event)) return;
    if (queueKeys(event) || actionKeys(event)) event.preventDefault();
  });

  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });

  document.querySelectorAll("select[data-autosubmit]").forEach((select) => {
    select.addEventListener("change", () => select.form.requestSubmit());
  });

  tick();
  window.setInterval(tick, 30 * 1000);
})();
