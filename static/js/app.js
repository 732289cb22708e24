/* Puente: small enhancements. Everything works without this file. */
(function () {
  "use strict";
  var NEUTRAL_URL = "https://www.bbc.com/weather";
  var SHIFT_PRESSES = 3;
  var WINDOW_MS = 5000;

  // Quick exit: hide the page at once, tell the server to end the session on this device (a
  // beacon survives the page going away), then replace this history entry so Back cannot
  // return to it. A page without a form (no token for the beacon) and the Exit link without
  // JS go through /exit, which does the same by a redirect. The mark (a cookie for this
  // browsing session only) reaches the server with the very next request, so Back cannot
  // outrun the beacon: a page of the session then ends it instead (app/web/deps.py).
  function exitNow(event) {
    if (event) { event.preventDefault(); }
    stopSpeaking();
    document.body.classList.add("exiting");
    var secure = location.protocol === "https:";
    document.cookie = (secure ? "__Host-exit=1; Secure; " : "exit=1; ") + "Path=/; SameSite=Strict";
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
    addListenButtons(document);
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
    addListenButtons(current);
  });

  // Read-aloud (issue 14): a Listen button on each block marked data-listen (a question, a
  // finding) reads its data-say parts, one label at a time, with the device's speech
  // synthesis. Only a voice with localService true is ever used: a remote voice sends the text
  // to a server. Without a local voice for the block's language there is no button, and
  // without this file neither, so nothing depends on it.
  var synth = window.speechSynthesis;
  var speaking = null;
  var SPEAKER = '<svg class="icon" viewBox="0 0 24 24" aria-hidden="true">' +
    '<path d="M3 9h4l5-4v14l-5-4H3zM16 8a5 5 0 0 1 0 8M19 5a9 9 0 0 1 0 14"/></svg>';

  function stopSpeaking() {
    if (synth) { synth.cancel(); }
    if (speaking) { speaking.setAttribute("aria-pressed", "false"); speaking = null; }
  }

  function tag(code) { return String(code || "").toLowerCase().replace(/_/g, "-"); }

  // The exact language tag first (pt-BR before pt-PT), else the same language.
  function localVoice(lang) {
    var want = tag(lang), base = want.split("-")[0], near = null;
    var voices = synth ? synth.getVoices() : [];
    for (var i = 0; i < voices.length; i++) {
      var have = tag(voices[i].lang);
      if (voices[i].localService !== true) { continue; }
      if (have === want) { return voices[i]; }
      if (!near && have.split("-")[0] === base) { near = voices[i]; }
    }
    return near;
  }

  function blockLang(block) { return (block.closest("[lang]") || document.documentElement).lang; }

  function texts(block) {
    var out = [];
    var parts = block.querySelectorAll("[data-say]");
    for (var i = 0; i < parts.length; i++) {
      var labels = parts[i].querySelectorAll("label");
      var items = labels.length ? labels : [parts[i]];
      for (var j = 0; j < items.length; j++) {
        var text = items[j].textContent.replace(/\s+/g, " ").trim();
        if (text) { out.push(text); }
      }
    }
    return out;
  }

  function listen(event) {
    var button = event.currentTarget;
    var again = speaking === button;
    stopSpeaking();
    if (again) { return; }
    var block = button.closest("[data-listen]");
    var voice = localVoice(blockLang(block));
    if (!voice) { button.hidden = true; return; }
    var parts = texts(block);
    speaking = button;
    button.setAttribute("aria-pressed", "true");
    for (var i = 0; i < parts.length; i++) {
      var utterance = new SpeechSynthesisUtterance(parts[i]);
      utterance.voice = voice;
      utterance.lang = voice.lang;
      if (i === parts.length - 1) {
        utterance.onend = utterance.onerror = function () {
          if (speaking === button) { speaking = null; button.setAttribute("aria-pressed", "false"); }
        };
      }
      synth.speak(utterance);
    }
  }

  function addListenButtons(root) {
    if (!synth || !window.SpeechSynthesisUtterance) { return; }
    var blocks = root.querySelectorAll("[data-listen]");
    for (var i = 0; i < blocks.length; i++) {
      var block = blocks[i];
      var button = block.querySelector(".listen");
      var voice = localVoice(blockLang(block));
      if (button || !voice) {
        if (button) { button.hidden = !voice; }
        continue;
      }
      button = document.createElement("button");
      button.type = "button";
      button.className = "button secondary listen";
      // A speaker as well as the word: the button is for people who may not read it.
      button.innerHTML = SPEAKER;
      button.appendChild(document.createTextNode(block.getAttribute("data-listen")));
      button.setAttribute("aria-pressed", "false");
      var heading = block.querySelector("[id]");
      if (heading) { button.setAttribute("aria-describedby", heading.id); }
      button.addEventListener("click", listen);
      // After the heading (a question's legend), so the name of the group stays the question.
      block.insertBefore(button, block.firstElementChild.nextSibling);
    }
  }

  if (synth) {
    // Chromium lists its voices some time after the page loads.
    if (synth.addEventListener) {
      synth.addEventListener("voiceschanged", function () { addListenButtons(document); });
    }
    // Stop on an answer (and any other form: back, start over, delete), on leaving the page.
    document.addEventListener("submit", stopSpeaking, true);
    window.addEventListener("pagehide", stopSpeaking);
    window.addEventListener("popstate", stopSpeaking);
  }
})();
