// The workbench's only script (the Content-Security-Policy runs nothing else).
// Hotkeys: any element with data-hotkey="Alt+1" (or "Control+Enter", ...) is clicked when that
// key is pressed, so a hotkey does exactly what the button does, validation included; a field
// with a hotkey (the tool picker) is focused instead.
// Focus: after every load the first field to fill ([data-autofocus]) has the focus and the
// newest step and the form are in view.
// Active time: counted while the acting page is visible and focused, and kept across its page
// loads (choosing a tool, labelling, a refused step) in sessionStorage until the step runs; the
// reasoning typed so far is kept the same way.
(function () {
  "use strict";

  function keyName(e) {
    const parts = [];
    if (e.ctrlKey) parts.push("Control");
    if (e.altKey) parts.push("Alt");
    if (e.shiftKey && e.key.length > 1) parts.push("Shift");
    // e.code keeps Alt+1 meaning "1" on layouts where Alt changes e.key.
    let key = e.key;
    if (/^Digit[0-9]$/.test(e.code)) key = e.code.slice(5);
    else if (/^Key[A-Z]$/.test(e.code)) key = e.code.slice(3).toLowerCase();
    parts.push(key);
    return parts.join("+");
  }

  function isField(el) {
    return el.matches("input:not([type=hidden]):not([type=checkbox]), select, textarea");
  }

  function jumpToForm() {
    const form = document.getElementById("step-form") || document.getElementById("next");
    const first = Array.from(document.querySelectorAll("[data-autofocus]")).find(function (el) {
      return !(el.dataset.autofocus === "if-empty" && el.value.trim() !== "");
    });
    const latest = document.querySelector("section.latest");
    if (first) first.focus({ preventScroll: true });
    if (latest) latest.scrollIntoView({ block: "start" });
    const target = first || form;
    if (target) {
      const box = target.getBoundingClientRect();
      if (box.bottom > window.innerHeight || box.top < 0) target.scrollIntoView({ block: "center" });
    }
  }

  document.addEventListener("keydown", function (e) {
    const name = keyName(e);
    if (name === "Alt+j") {
      e.preventDefault();
      jumpToForm();
      return;
    }
    const target = document.querySelector('[data-hotkey="' + name + '"]');
    if (!target) return;
    e.preventDefault();
    if (isField(target)) {
      target.focus();
      if (target.select) target.select();
    } else {
      target.click();
    }
  });

  // Names typed once (annotator, reviewer) are filled in again next time.
  document.querySelectorAll("input[data-remember]").forEach(function (input) {
    const key = "wb:remember:" + input.dataset.remember;
    if (!input.value) input.value = localStorage.getItem(key) || "";
    input.addEventListener("change", function () {
      localStorage.setItem(key, input.value.trim());
    });
  });

  // The raw JSON editor replaces the form: the form's required fields no longer apply.
  const stepForm = document.getElementById("step-form");
  const raw = stepForm && stepForm.querySelector("textarea[name='raw_json']");
  if (raw) {
    const sync = function () { stepForm.noValidate = raw.value.trim() !== ""; };
    raw.addEventListener("input", sync);
    sync();
  }

  const act = document.getElementById("act");
  if (act) {
    const storeKey = "wb:step:" + act.dataset.draftKey;
    const steps = act.dataset.steps;
    let saved = null;
    try { saved = JSON.parse(sessionStorage.getItem(storeKey) || "null"); } catch (err) { saved = null; }
    if (!saved || saved.steps !== steps) saved = { steps: steps, ms: 0, thought: "" };
    let active = Number(saved.ms) || 0;
    let since = null;
    const pause = function () {
      if (since !== null) { active += performance.now() - since; since = null; }
    };
    const resume = function () {
      if (since === null && !document.hidden && document.hasFocus()) since = performance.now();
    };
    const thought = stepForm && stepForm.querySelector("textarea[name='thought']");
    if (thought && !thought.value && saved.thought) thought.value = saved.thought;
    const save = function () {
      const running = since !== null ? performance.now() - since : 0;
      sessionStorage.setItem(storeKey, JSON.stringify({
        steps: steps,
        ms: Math.round(active + running),
        thought: thought ? thought.value : saved.thought,
      }));
    };
    resume();
    window.addEventListener("blur", pause);
    window.addEventListener("focus", resume);
    document.addEventListener("visibilitychange", function () { document.hidden ? pause() : resume(); });
    window.addEventListener("pagehide", save);
    if (thought) thought.addEventListener("input", save);
    if (stepForm) {
      stepForm.addEventListener("submit", function () {
        pause();
        document.getElementById("active_ms").value = Math.round(active);
        save();
        resume();
      });
    }
    jumpToForm();
  }
})();
