// The dashboard's one script: live updates over /dashboard/stream and confirmations.
// Pages work without it (every action is a plain form); it only keeps them current.
"use strict";

(function () {
  const base = "/dashboard";

  function all(selector) {
    return Array.from(document.querySelectorAll(selector));
  }

  function setStatus(sessionId, status, reason) {
    const shown = document.querySelector(`[data-session-status="${sessionId}"]`);
    const changed = !shown || shown.textContent !== status;
    for (const el of all(`[data-session-status="${sessionId}"]`)) {
      el.textContent = status;
      el.className = `status status-${status}`;
    }
    const qr = document.querySelector(`[data-qr="${sessionId}"]`);
    const waiting = document.querySelector(`[data-qr-waiting="${sessionId}"]`);
    const scanning = status === "SCAN_QR_CODE";
    if (qr) {
      qr.hidden = !scanning;
      // A code already shown stays until a session.qr event brings the next one.
      if (scanning && (changed || !qr.querySelector("img").getAttribute("src"))) {
        refreshQr(sessionId);
      }
    }
    if (waiting) waiting.hidden = scanning || status === "WORKING";
    for (const el of all(`[data-pairing="${sessionId}"]`)) el.hidden = !scanning;
    for (const el of all(`[data-session-reason="${sessionId}"]`)) el.textContent = reason || "";
  }

  function setMe(sessionId, me) {
    for (const el of all(`[data-session-me="${sessionId}"]`)) {
      el.textContent = me ? me.phone_number || me.id : "—";
    }
    const linked = document.querySelector(`[data-session-linked="${sessionId}"]`);
    if (linked) {
      linked.hidden = !me;
      if (me) {
        linked.querySelector("[data-me-phone]").textContent = me.phone_number || "";
        linked.querySelector("[data-me-name]").textContent = me.push_name || "";
        linked.querySelector("[data-me-id]").textContent = me.id || "";
      }
    }
  }

  function refreshQr(sessionId) {
    const qr = document.querySelector(`[data-qr="${sessionId}"]`);
    if (!qr) return;
    const img = qr.querySelector("img");
    // A new address for each code, so the browser fetches the new image.
    img.src = `${qr.dataset.qrSrc}?t=${Date.now()}`;
  }

  function when(iso) {
    return iso ? `${iso.slice(0, 19).replace("T", " ")} UTC` : "—";
  }

  function cell(label, ...children) {
    const td = document.createElement("td");
    td.dataset.label = label;
    td.append(...children);
    return td;
  }

  function code(text, muted) {
    const el = document.createElement("code");
    if (muted) el.className = "muted";
    el.textContent = text;
    return el;
  }

  // A message this page does not list yet (sent from elsewhere while it is open): added
  // on top of the newest page, built as text, never as markup.
  function addMessage(message) {
    const body = document.querySelector(`tbody[data-messages="${message.session_id}"][data-newest]`);
    if (!body) return;
    const status = document.createElement("span");
    status.dataset.messageStatus = message.id;
    const error = document.createElement("span");
    error.className = "error";
    error.dataset.messageError = message.id;
    const text = message.content && message.content.text;
    const row = document.createElement("tr");
    row.dataset.message = message.id;
    row.append(
      cell("Created", when(message.created_at), document.createElement("br"), code(message.id, true)),
      cell("Direction", message.direction),
      cell("Chat", code(message.chat_id, false)),
      cell("Content", text ? `${message.type}: ${text.slice(0, 120)}` : message.type),
      cell("Status", status, " ", error),
    );
    body.prepend(row);
    for (const el of all("[data-messages-table]")) el.hidden = false;
    for (const el of all("[data-no-messages]")) el.hidden = true;
  }

  function setMessage(message) {
    if (message.session_id && !document.querySelector(`[data-message="${message.id}"]`)) {
      addMessage(message);
    }
    for (const el of all(`[data-message-status="${message.id}"]`)) {
      el.textContent = message.status;
      el.className = `status status-${message.status}`;
    }
    const error = message.error ? `${message.error.code}: ${message.error.message}` : "";
    for (const el of all(`[data-message-error="${message.id}"]`)) el.textContent = error;
  }

  // Events seen per session and per message: a catch-up answer computed before an event
  // arrived must not undo what the event showed.
  const seen = new Map();

  function mark(id) {
    seen.set(id, (seen.get(id) || 0) + 1);
  }

  function onEvent(event) {
    const sessionId = event.session && event.session.id;
    if (event.type === "session.status") mark(sessionId);
    if (event.type === "message.status") mark(event.data.message.id);
    if (event.type === "session.status") {
      setStatus(sessionId, event.data.status, event.data.reason);
      setMe(sessionId, event.data.me);
    } else if (event.type === "session.qr") {
      refreshQr(sessionId);
    } else if (event.type === "message.status") {
      setMessage(event.data.message);
    }
  }

  // What changed before the socket was open: the session's state as it is now.
  async function fetchState(path) {
    const before = new Map(seen);
    const response = await fetch(`${base}${path}`, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
    if (response.redirected || !response.ok) return null;
    const state = await response.json();
    const fresh = (id) => (seen.get(id) || 0) === (before.get(id) || 0);
    return { state, fresh };
  }

  async function catchUp(sessionId) {
    const answer = await fetchState(`/sessions/${sessionId}/state`);
    if (!answer) return;
    const { state, fresh } = answer;
    if (fresh(state.id)) {
      setStatus(state.id, state.status, null);
      setMe(state.id, state.me);
    }
    for (const [id, m] of Object.entries(state.messages || {})) {
      if (fresh(id)) setMessage({ id, status: m.status, error: m.error });
    }
  }

  async function catchUpList() {
    const answer = await fetchState(`/sessions/state${location.search}`);
    if (!answer) return;
    for (const session of answer.state.sessions) {
      if (!answer.fresh(session.id)) continue;
      setStatus(session.id, session.status, null);
      setMe(session.id, session.me);
    }
  }

  // An event of the event log's newest page, added on top unless the page's filters
  // leave it out; built as text, never as markup.
  function addEvent(event) {
    const body = document.querySelector("tbody[data-events][data-newest]");
    if (!body || document.querySelector(`[data-event="${event.id}"]`)) return;
    if (body.dataset.filterType && body.dataset.filterType !== event.type) return;
    const details = document.createElement("details");
    const summary = document.createElement("summary");
    summary.textContent = "Show JSON";
    const pre = document.createElement("pre");
    pre.className = "json";
    pre.textContent = JSON.stringify(event, null, 2);
    details.append(summary, pre);
    const session = event.session
      ? [event.session.name || "", document.createElement("br"), code(event.session.id, true)]
      : ["—"];
    const row = document.createElement("tr");
    row.dataset.event = event.id;
    row.append(
      cell("Created", when(event.created_at), document.createElement("br"), code(event.id, true)),
      cell("Type", code(event.type, false)),
      cell("Session", ...session),
      cell("Payload", details),
    );
    body.prepend(row);
    for (const el of all("[data-events-table]")) el.hidden = false;
    for (const el of all("[data-no-events]")) el.hidden = true;
  }

  // Events that happened after the page was rendered and before the socket was open:
  // the newest as they are now, oldest first so that the newest ends on top.
  async function catchUpEvents() {
    const body = document.querySelector("tbody[data-events][data-newest]");
    if (!body) return;
    const query = new URLSearchParams();
    if (body.dataset.filterType) query.set("type", body.dataset.filterType);
    if (body.dataset.filterSession) query.set("session_id", body.dataset.filterSession);
    const answer = await fetchState(`/events/state?${query}`);
    if (!answer) return;
    for (const event of answer.state.events.slice().reverse()) addEvent(event);
  }

  function streamQuery(live) {
    if (live === "sessions") return "";
    if (live !== "events") return `?session=${encodeURIComponent(live)}`;
    const body = document.querySelector("tbody[data-events]");
    const session = body ? body.dataset.filterSession : "";
    return `?page=events${session ? `&session=${encodeURIComponent(session)}` : ""}`;
  }

  function announce(text) {
    for (const el of all("[data-live-state]")) el.textContent = text;
  }

  function connect(live, attempt) {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    const query = streamQuery(live);
    const socket = new WebSocket(`${scheme}//${location.host}${base}/stream${query}`);
    socket.addEventListener("message", (message) => {
      const event = JSON.parse(message.data);
      if (event.object === "ready") {
        attempt = 0;
        if (live === "events") {
          announce("Live: new events appear as they happen.");
          catchUpEvents().catch(() => {});
          return;
        }
        announce("Live: statuses update as they change.");
        (live === "sessions" ? catchUpList() : catchUp(live)).catch(() => {});
      } else if (event.object === "event") {
        if (live === "events") addEvent(event);
        else onEvent(event);
      }
    });
    socket.addEventListener("close", (close) => {
      if (close.code === 1008) {
        // Signed out (a revoked key, an expired sign-in): the sign-in page says why.
        location.assign(`${base}/sign-in?expired=1`);
        return;
      }
      announce("Live updates paused; reconnecting…");
      const delay = Math.min(10000, 500 * 2 ** Math.min(attempt, 5));
      setTimeout(() => connect(live, attempt + 1), delay);
    });
  }

  function confirmations() {
    for (const form of all("form[data-confirm]")) {
      form.addEventListener("submit", (submit) => {
        if (!window.confirm(form.dataset.confirm)) submit.preventDefault();
      });
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    confirmations();
    const live = document.body.dataset.live;
    if (live) connect(live, 0);
  });
})();
