// The bench screen: every input goes to the server, which answers with the redrawn
// panel; server-sent events bring what the devices did (scans, weights, verdicts).
// The scan field keeps the focus, so a keyboard-wedge scanner always types into it.
(function () {
  "use strict";
  const live = document.getElementById("bench-live");
  if (!live) return;
  const csrf = document.body.dataset.csrf;
  const errorBox = document.getElementById("bench-error");
  const states = JSON.parse(live.dataset.states || "{}");
  const sounds = {};
  ["pass", "fail", "review"].forEach(function (name) {
    sounds[name] = new Audio("/static/sounds/" + name + ".wav");
    sounds[name].preload = "auto";
  });

  function steps(root) {
    const panel = root.querySelector(".panel");
    return panel ? Number(panel.dataset.steps) : -1;
  }

  function showPanel(html) {
    const holder = document.createElement("div");
    holder.innerHTML = html;
    if (steps(holder) < steps(live)) return; // an older answer arriving late
    // What was typed since the last Enter (by hand, or a scanner mid-code) stays: a
    // redraw from a device or a late answer must not eat keystrokes.
    const typed = live.querySelector("[data-entry]");
    const keep = typed ? typed.value : "";
    live.replaceChildren(...holder.childNodes);
    const entry = live.querySelector("[data-entry]");
    if (keep && entry && !entry.value) entry.value = keep;
    document.dispatchEvent(new CustomEvent("bench:panel", { detail: { at: Date.now() } }));
    focusEntry();
  }

  function focusEntry() {
    const entry = live.querySelector("[data-entry]");
    if (entry && document.activeElement !== entry) entry.focus();
  }

  function showError(text) {
    errorBox.textContent = text;
    errorBox.hidden = !text;
  }

  async function post(url, fields) {
    const body = new URLSearchParams(fields);
    const response = await fetch(url, {
      method: "POST",
      body: body,
      headers: { "X-CSRF-Token": csrf, "Accept": "text/html" },
    });
    const text = await response.text();
    if (response.ok) { showError(""); showPanel(text); } else { showError(text); }
  }

  function command(name, argument) {
    return post("/bench/command", { name: name, argument: argument || "" });
  }

  function answer(value) {
    const holder = live.querySelector("[data-question]");
    if (holder) post("/bench/answer", { question: holder.dataset.question, value: value });
  }

  live.addEventListener("submit", function (event) {
    event.preventDefault();
    const form = event.target;
    const entry = form.querySelector("[data-entry]");
    const value = entry ? entry.value.trim() : "";
    if (entry) entry.value = ""; // sent: the next redraw must not bring it back
    if (form.dataset.mode === "count") {
      if (value !== "") post("/bench/count", { quantity: value });
    } else if (form.dataset.mode === "answer") {
      if (value !== "") post("/bench/answer", { question: form.dataset.question, value: value });
    } else if (value === "") {
      const photo = live.querySelector("[data-photo]");
      if (photo) post("/bench/photo", { face: photo.dataset.photo }); else command("NEXT");
    } else {
      post("/bench/scan", { text: value });
    }
  });

  live.addEventListener("click", function (event) {
    const button = event.target.closest("button");
    if (!button) return;
    if (button.dataset.command) command(button.dataset.command, button.dataset.argument);
    else if (button.dataset.answer) answer(button.dataset.answer);
    else if (button.dataset.photo !== undefined) post("/bench/photo", { face: button.dataset.photo });
    else if (button.dataset.sim) simulated(button);
  });

  // Demo mode: a button of the simulated devices' panel orders a simulated device about;
  // what the device then does comes back through the live events like any reading.
  function simulated(button) {
    button.disabled = true;
    post("/bench/simulated", { action: button.dataset.sim, value: button.dataset.value || "" })
      .finally(function () { button.disabled = false; focusEntry(); });
  }

  const KEYS = { F2: "RETAKE", F4: "DAMAGED", F9: "CONFIRM", Escape: "CANCEL" };
  document.addEventListener("keydown", function (event) {
    if (KEYS[event.key]) { event.preventDefault(); command(KEYS[event.key]); }
    else if (event.key === "F5") { event.preventDefault(); answer("yes"); }
    else if (event.key === "F6") { event.preventDefault(); answer("no"); }
  });
  document.addEventListener("click", function (event) {
    if (!event.target.closest("button, a, input, select, summary, details")) focusEntry();
  });

  function showWeight(data) {
    const value = document.querySelector('[data-weight="' + data.device + '"]');
    const flag = document.querySelector('[data-stable-flag="' + data.device + '"]');
    if (!value) return;
    value.textContent = data.grams === null ? "–" :
      live.dataset.grams.replace("{g}", data.grams.toFixed(1));
    value.classList.toggle("stable", Boolean(data.stable));
    if (flag) flag.classList.toggle("on", Boolean(data.stable));
  }

  function showDevice(data) {
    const chip = document.querySelector('[data-device="' + data.device + '"]');
    if (!chip) return;
    chip.dataset.state = data.state;
    chip.querySelector("[data-state-text]").textContent = states[data.state] || data.state;
  }

  function sound(data) {
    document.body.dataset.lastSound = data.verdict;
    const audio = sounds[data.verdict];
    if (audio) { audio.currentTime = 0; audio.play().catch(function () {}); }
  }

  if (window.EventSource) {
    const events = new EventSource(live.dataset.live);
    events.addEventListener("panel", function (e) { showPanel(e.data); });
    events.addEventListener("weight", function (e) { showWeight(JSON.parse(e.data)); });
    events.addEventListener("device", function (e) { showDevice(JSON.parse(e.data)); });
    events.addEventListener("verdict", function (e) { sound(JSON.parse(e.data)); });
    events.addEventListener("open", function () { document.body.dataset.live = "open"; });
    window.addEventListener("beforeunload", function () { events.close(); });
  }
  focusEntry();
})();
