/* Lectern: small enhancements on top of links and forms that already work without it.
   No inline handlers: everything is wired here, so a strict Content-Security-Policy holds. */
(function () {
  "use strict";

  function onReady(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  /* Tabs (summary levels): arrow keys, Home and End move between tabs and choose one. */
  document.addEventListener("keydown", function (event) {
    var tab = event.target.closest && event.target.closest('[role="tab"]');
    if (!tab) return;
    var tabs = Array.prototype.slice.call(tab.closest('[role="tablist"]').querySelectorAll('[role="tab"]'));
    var index = tabs.indexOf(tab);
    var next = null;
    if (event.key === "ArrowRight") next = tabs[(index + 1) % tabs.length];
    else if (event.key === "ArrowLeft") next = tabs[(index - 1 + tabs.length) % tabs.length];
    else if (event.key === "Home") next = tabs[0];
    else if (event.key === "End") next = tabs[tabs.length - 1];
    else if (event.key === " ") next = tab;
    if (!next) return;
    event.preventDefault();
    next.focus();
    next.click();
  });

  /* Flashcards: Space or Enter on the card flips it; arrow keys move through the deck.
     While a card is on its way its controls still point at the old card, and the new
     card's controls only work once htmx has settled them, so keys pressed meanwhile are
     queued (every one of them, in order) and replayed one card at a time. */
  var cardInFlight = false;
  var pendingCardKeys = [];

  function pressCardControl(panel, key) {
    var control = panel && panel.querySelector('[data-key="' + key + '"]');
    if (control) control.click();
  }

  function inFlashcards(node) {
    return !!(node && node.closest && node.closest("[data-flashcards]"));
  }

  document.addEventListener("keydown", function (event) {
    var panel = event.target.closest && event.target.closest("[data-flashcards]");
    if (!panel || event.altKey || event.ctrlKey || event.metaKey) return;
    var onFace = event.target.id === "flashcard-face";
    var key = null;
    if (onFace && (event.key === " " || event.key === "Enter")) key = "flip";
    else if (event.key === "ArrowRight") key = "next";
    else if (event.key === "ArrowLeft") key = "previous";
    if (!key) return;
    event.preventDefault();
    if (cardInFlight) pendingCardKeys.push(key);
    else pressCardControl(panel, key);
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    if (inFlashcards(event.target)) cardInFlight = true;
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    // Out-of-band parts of the same response settle too; only the panel itself counts.
    if (!cardInFlight || !inFlashcards(event.target)) return;
    cardInFlight = false;
    var key = pendingCardKeys.shift();
    if (key) pressCardControl(document.querySelector("[data-flashcards]"), key);
  });
  function forgetCardKeys() { cardInFlight = false; pendingCardKeys = []; }
  document.addEventListener("htmx:responseError", forgetCardKeys);
  document.addEventListener("htmx:sendError", forgetCardKeys);

  /* Drill and cram: Space shows the answer, 1 to 4 rate (Again, Hard, Good, Easy), N or the
     right arrow takes the next cram card. Not while typing an answer. */
  document.addEventListener("keydown", function (event) {
    var box = document.querySelector("[data-drill], [data-cram]");
    if (!box || event.altKey || event.ctrlKey || event.metaKey) return;
    var typing = event.target.closest && event.target.closest("input, select, textarea, button, a, summary");
    var key = null;
    if (event.key === " " && !typing) key = "show";
    else if (/^[1-4]$/.test(event.key) && !(typing && typing.matches("input, select, textarea"))) key = event.key;
    else if ((event.key === "n" || event.key === "ArrowRight") && !typing) key = "next";
    if (!key) return;
    var control = box.querySelector('[data-key="' + key + '"]');
    if (!control) return;
    event.preventDefault();
    control.click();
  });

  /* Cram's optional timer: counts down, then shows the answer. */
  var cramTimer = null;
  function startCountdown(root) {
    var box = root.querySelector ? root.querySelector("[data-cram][data-seconds]") : null;
    if (root.matches && root.matches("[data-cram][data-seconds]")) box = root;
    if (cramTimer) { clearInterval(cramTimer); cramTimer = null; }
    if (!box) return;
    var left = parseInt(box.getAttribute("data-seconds"), 10);
    var shown = box.querySelector("[data-countdown]");
    cramTimer = setInterval(function () {
      left -= 1;
      if (shown) shown.textContent = String(Math.max(0, left));
      if (left <= 0) {
        clearInterval(cramTimer);
        cramTimer = null;
        var reveal = box.querySelector('[data-key="show"]');
        if (reveal && document.body.contains(reveal)) reveal.click();
      }
    }, 1000);
  }

  /* Swapped-in feedback and answers take focus, so keyboard and screen-reader users land on them. */
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.target.querySelector ? event.target.querySelector("[data-autofocus]") : null;
    var kept = document.body.dataset.focusId;
    // Focus stays on a control that survived the swap; otherwise it goes to the new content.
    if (target && !(kept && document.getElementById(kept))) target.focus();
    document.body.dataset.focusId = "";
    startCountdown(event.target);
  });

  /* After a fragment swap, keep keyboard focus where the learner was: on the element with
     the same id, or on the card itself after a flip. */
  document.addEventListener("htmx:beforeSwap", function () {
    var active = document.activeElement;
    document.body.dataset.focusId = active && active.id ? active.id : "";
  });
  document.addEventListener("htmx:afterSwap", function () {
    var id = document.body.dataset.focusId;
    if (!id) return;
    var again = document.getElementById(id);
    if (again && document.activeElement !== again) again.focus();
  });

  /* Listen: read a dialogue aloud with the browser's speech synthesis, one voice per
     speaker where the browser has several, highlighting the line being read. */
  var synth = window.speechSynthesis;
  var speaking = null;

  function voicesFor(speakers) {
    var voices = synth.getVoices().filter(function (v) { return /^en/i.test(v.lang); });
    if (!voices.length) voices = synth.getVoices();
    var map = {};
    speakers.forEach(function (name, i) { map[name] = voices.length ? voices[i % voices.length] : null; });
    return map;
  }

  function setButtons(box, state) {
    box.querySelector('[data-speech-action="listen"]').disabled = state === "playing";
    box.querySelector('[data-speech-action="pause"]').disabled = state !== "playing";
    box.querySelector('[data-speech-action="stop"]').disabled = state === "idle";
    box.querySelector('[data-speech-action="pause"]').textContent = state === "paused" ? "Resume" : "Pause";
    if (state === "paused") box.querySelector('[data-speech-action="pause"]').disabled = false;
  }

  function stop() {
    if (!speaking) return;
    synth.cancel();
    speaking.lines.forEach(function (line) { line.classList.remove("speaking"); });
    setButtons(speaking.box, "idle");
    speaking = null;
  }

  /* What to say is read from the text itself (not copied into an attribute, which
     doubled the page's weight of dialogue and explainer text). */
  function spokenText(element) {
    var said = element.querySelector(".said");
    var speaker = element.getAttribute("data-speaker");
    var text = (said || element).textContent.replace(/\s+/g, " ").trim();
    return said && speaker ? speaker + ": " + text : text;
  }

  function listen(container, box) {
    stop();
    var lines = Array.prototype.slice.call(container.querySelectorAll("[data-speak]"));
    var speakers = [];
    lines.forEach(function (l) {
      var who = l.getAttribute("data-speaker") || "";
      if (speakers.indexOf(who) < 0) speakers.push(who);
    });
    var voices = voicesFor(speakers);
    speaking = { lines: lines, box: box };
    setButtons(box, "playing");
    lines.forEach(function (line, i) {
      var utterance = new SpeechSynthesisUtterance(spokenText(line));
      var voice = voices[line.getAttribute("data-speaker") || ""];
      if (voice) utterance.voice = voice;
      utterance.onstart = function () {
        lines.forEach(function (l) { l.classList.remove("speaking"); });
        line.classList.add("speaking");
      };
      if (i === lines.length - 1) utterance.onend = stop;
      synth.speak(utterance);
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-speech-action]");
    if (!button || !synth) return;
    var box = button.closest("[data-speech]");
    var container = box.closest("[data-speech-scope]");
    var action = button.getAttribute("data-speech-action");
    if (action === "listen") listen(container, box);
    else if (action === "stop") stop();
    else if (action === "pause" && speaking) {
      if (synth.paused) { synth.resume(); setButtons(box, "playing"); }
      else { synth.pause(); setButtons(box, "paused"); }
    }
  });

  function revealSpeech(root) {
    if (!synth || typeof window.SpeechSynthesisUtterance === "undefined") return;
    root.querySelectorAll("[data-speech]").forEach(function (box) { box.hidden = false; });
  }

  /* Videos: nothing loads from the video site until the learner asks for the player. */
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-embed]");
    if (!button) return;
    var frame = document.createElement("iframe");
    frame.src = button.getAttribute("data-embed");
    frame.title = button.getAttribute("data-title") || "Video";
    frame.allow = "encrypted-media; picture-in-picture";
    frame.setAttribute("allowfullscreen", "");
    frame.className = "video-frame";
    button.replaceWith(frame);
  });

  onReady(function () {
    startCountdown(document);
    revealSpeech(document);
    document.querySelectorAll("[data-embed]").forEach(function (b) { b.hidden = false; });
  });
  document.addEventListener("htmx:afterSettle", function (event) { revealSpeech(event.target); });
  window.addEventListener("pagehide", stop);
})();
