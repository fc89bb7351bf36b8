// The workbench's only script (the Content-Security-Policy runs nothing else).
// Hotkeys: any element with data-hotkey="Alt+1" (or "Control+Enter", ...) is clicked when that
// key is pressed, so a hotkey does exactly what the button does, validation included.
// Active time: counted while the page is visible and focused, sent with the step.
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

  document.addEventListener("keydown", function (e) {
    const target = document.querySelector('[data-hotkey="' + keyName(e) + '"]');
    if (target) {
      e.preventDefault();
      target.click();
    }
  });

  const form = document.querySelector("form[action$='/step']");
  if (!form) return;
  let active = 0;
  let since = document.hasFocus() ? performance.now() : null;
  const pause = function () {
    if (since !== null) { active += performance.now() - since; since = null; }
  };
  const resume = function () {
    if (since === null && !document.hidden) since = performance.now();
  };
  window.addEventListener("blur", pause);
  window.addEventListener("focus", resume);
  document.addEventListener("visibilitychange", function () { document.hidden ? pause() : resume(); });
  form.addEventListener("submit", function () {
    pause();
    document.getElementById("active_ms").value = Math.round(active);
  });
})();
