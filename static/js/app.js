/* Puente: small enhancements. Everything works without this file. */
(function () {
  "use strict";
  var NEUTRAL_URL = "https://www.bbc.com/weather";
  var SHIFT_PRESSES = 3;
  var WINDOW_MS = 5000;

  // Quick exit: hide the page at once, tell the server to end the session on this device (a
  // beacon survives the page going away), then replace this history entry so Back cannot
  // return to it. A page without a form (no token for the beacon) and the Exit link without
  // JS go through /exit, which does the same by a redirect.
  function exitNow(event) {
    if (event) { event.preventDefault(); }
    document.body.classList.add("exiting");
    var overlay = document.createElement("div");
    overlay.className = "exit-overlay";
    document.body.appendChild(overlay);
    var token = document.querySelector("input[name=csrf]");
    if (!navigator.sendBeacon || !token) { window.location.replace("/exit"); return; }
    var form = new FormData();
    form.append("csrf", token.value);
    navigator.sendBeacon("/exit", form);
    window.location.replace(NEUTRAL_URL);
  }

  var presses = 0;
  var timer = null;
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Shift") { presses = 0; return; }
    if (event.repeat) { return; }
    presses += 1;
    clearTimeout(timer);
    timer = setTimeout(function () { presses = 0; }, WINDOW_MS);
    if (presses >= SHIFT_PRESSES) { presses = 0; exitNow(); }
  });

  document.addEventListener("DOMContentLoaded", function () {
    var exit = document.getElementById("exit");
    if (exit) { exit.addEventListener("click", exitNow); }
    var summary = document.querySelector(".error-summary");
    if (summary) { summary.focus(); }
  });

  // Coming back to a page the browser kept (bfcache): never leave it hidden.
  window.addEventListener("pageshow", function () { document.body.classList.remove("exiting"); });

  // After htmx shows the next question: bring it to the top of the screen (its answers and
  // Continue then fit on a phone, P9) and move focus to it. Focus alone is what a screen
  // reader announces; a live region as well made it say the question twice (P16).
  document.addEventListener("htmx:afterSettle", function (event) {
    var current = document.getElementById("current");
    if (!current || !current.contains(event.target) && event.target !== current) { return; }
    current.scrollIntoView({block: "start"});
    var target = current.querySelector(".error-summary") || current.querySelector("#question-heading");
    if (target) { target.focus({preventScroll: true}); }
  });
})();
