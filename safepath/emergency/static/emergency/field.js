// The field app: register separated children, run the screening interview and work on one's
// recent cases with no network; records wait, encrypted, in this browser until they are sent.
"use strict";

import * as store from "./store.js";
import * as sync from "./sync.js";
import * as ui from "./ui.js";

const IDLE_LOCK_MS = 15 * 60 * 1000;
const LIST_LIMIT = 100;
const app = document.getElementById("field-app");
const $ = (id) => document.getElementById(id);
const urls = { session: app.dataset.sessionUrl, sync: app.dataset.syncUrl, mine: app.dataset.mineUrl };
const form = $("registration-form");
let owner = null; // {user_id, username, device_id}
let editing = null; // the record being changed, or null for a new registration
let screeningFor = null;
let photo = null;
let idleTimer = null;
let sending = false;

function status(text) { $("status-line").textContent = text; }

function show(section) {
  for (const id of ["vault-setup", "vault-unlock", "app-body"]) { $(id).hidden = id !== section; }
}

function panel(id) {
  for (const node of document.querySelectorAll(".field-panel")) { node.hidden = node.id !== id; }
  for (const button of document.querySelectorAll(".field-tabs button")) {
    button.setAttribute("aria-current", button.dataset.panel === id ? "page" : "false");
  }
}

async function refreshStatus(extra = "") {
  const rows = await store.outboxRows();
  const waiting = rows.filter((r) => r.state === "pending" || r.state === "sent").length;
  const toCheck = rows.filter((r) => r.state === "conflict" || r.state === "error").length;
  const line = [navigator.onLine ? ui.t("online") : ui.t("offline")];
  line.push(waiting ? ui.t("waiting", { n: waiting }) : ui.t("nothing_waiting"));
  if (toCheck) { line.push(ui.t("needs_check", { n: toCheck })); }
  if (extra) { line.push(extra); }
  status(line.join(" "));
  $("count-outbox").textContent = String(waiting);
  $("count-conflicts").textContent = String(toCheck);
  $("send-now").disabled = !navigator.onLine || !waiting || sending;
}

// --- lists ---------------------------------------------------------------------------------
function recordName(record) {
  const v = record.values || {};
  return [v.given_name, v.family_name].filter(Boolean).join(" ") || "—";
}

async function renderCases() {
  const records = (await store.allRecords()).sort((a, b) => (b.updated_at || "").localeCompare(a.updated_at || ""));
  const rows = await store.outboxRows();
  const state = new Map();
  for (const row of rows) { state.set(row.record_id, row.state); }
  const list = $("case-list");
  list.replaceChildren();
  for (const record of records.slice(0, LIST_LIMIT)) {
    const where = state.get(record.record_id) || "synced";
    const item = ui.el("li", { class: "record state-" + where, dataset: { record: record.record_id } },
      ui.el("span", { class: "record-name", text: recordName(record) }),
      ui.el("span", { class: "record-ref", text: record.reference || ui.t("not_sent_yet") }),
      ui.el("span", { class: "badge", text: ui.t("state_" + where) }),
      ui.el("span", { class: "record-actions" },
        ui.el("button", { type: "button", class: "button-secondary", dataset: { open: record.record_id }, text: ui.t("open") }),
        ui.el("button", { type: "button", class: "button-secondary", dataset: { screen: record.record_id }, text: ui.t("screen") })));
    list.append(item);
  }
  if (records.length > LIST_LIMIT) { list.append(ui.el("li", { text: ui.t("more", { n: records.length - LIST_LIMIT }) })); }
  $("count-cases").textContent = String(records.length);
}

async function renderOutbox() {
  const entries = await store.outbox();
  const records = new Map((await store.allRecords()).map((r) => [r.record_id, r]));
  const list = $("outbox-list");
  list.replaceChildren();
  for (const entry of entries.slice(0, LIST_LIMIT)) {
    const record = records.get(entry.record_id);
    list.append(ui.el("li", { class: "record state-" + entry.state, dataset: { op: entry.op.op_id } },
      ui.el("span", { class: "record-name", text: record ? recordName(record) : "—" }),
      ui.el("span", { class: "record-ref", text: ui.t("kind_" + entry.op.kind) }),
      ui.el("span", { class: "badge", text: ui.t("state_" + entry.state) })));
  }
  if (entries.length > LIST_LIMIT) { list.append(ui.el("li", { text: ui.t("more", { n: entries.length - LIST_LIMIT }) })); }
  $("outbox-summary").textContent = entries.length ? ui.t("waiting", { n: entries.length }) : ui.t("nothing_waiting");
}

function conflictCard(entry, record) {
  const answer = entry.answer || {};
  const card = ui.el("form", { class: "card conflict", dataset: { seq: String(entry.seq) } });
  card.append(ui.el("h3", { text: recordName(record || { values: entry.op.values || {} }) + (record && record.reference ? " · " + record.reference : "") }));
  if (entry.state === "error") {
    card.append(ui.el("p", { class: "error-box", text: ui.t("server_said") + " " + (answer.detail || "") }));
    const fields = answer.fields || {};
    const list = ui.el("ul", { class: "errors" });
    for (const [name, messages] of Object.entries(fields)) {
      list.append(ui.el("li", { text: ui.fieldLabel(form, name) + ": " + [].concat(messages).join(" ") }));
    }
    card.append(list);
    card.append(ui.el("button", { type: "button", dataset: { fix: String(entry.seq) }, text: ui.t("fix_record") }));
    return card;
  }
  card.append(ui.el("p", { text: answer.detail || "" }));
  const table = ui.el("table", { class: "conflict-table" });
  table.append(ui.el("thead", {}, ui.el("tr", {},
    ui.el("th", { scope: "col", text: ui.t("field") }),
    ui.el("th", { scope: "col", text: ui.t("on_device") }),
    ui.el("th", { scope: "col", text: ui.t("on_server") }))));
  const body = ui.el("tbody");
  for (const conflict of answer.conflicts || []) {
    const name = "choice-" + entry.seq + "-" + conflict.field;
    body.append(ui.el("tr", { dataset: { field: conflict.field } },
      ui.el("th", { scope: "row", text: ui.fieldLabel(form, conflict.field) }),
      ui.el("td", { "data-label": ui.t("on_device") }, ui.el("label", { class: "choice" },
        ui.el("input", { type: "radio", name, value: "device", "aria-label": ui.t("keep_device") + ": " + ui.fieldLabel(form, conflict.field) }),
        " " + ui.shown(conflict.device_value))),
      ui.el("td", { "data-label": ui.t("on_server") }, ui.el("label", { class: "choice" },
        ui.el("input", { type: "radio", name, value: "server", "aria-label": ui.t("keep_server") + ": " + ui.fieldLabel(form, conflict.field) }),
        " " + ui.shown(conflict.server_value)))));
  }
  table.append(body);
  card.append(ui.el("div", { class: "table-wrap" }, table));
  card.append(ui.el("p", { class: "errors", hidden: true, role: "alert" }));
  card.append(ui.el("button", { type: "submit", text: ui.t("keep_choices") }));
  return card;
}

async function renderConflicts() {
  const entries = (await store.outbox()).filter((e) => e.state === "conflict" || e.state === "error");
  const records = new Map((await store.allRecords()).map((r) => [r.record_id, r]));
  const box = $("conflict-list");
  box.replaceChildren(...entries.map((entry) => conflictCard(entry, records.get(entry.record_id))));
}

async function renderAll(extra = "") {
  await Promise.all([renderCases(), renderOutbox(), renderConflicts()]);
  await refreshStatus(extra);
}

// --- saving --------------------------------------------------------------------------------
function changedFields(before, after) {
  const changes = {};
  for (const [name, value] of Object.entries(after)) {
    if (!ui.same(before[name], value)) { changes[name] = value; }
  }
  return changes;
}

async function lastOp(recordId) {
  const entries = (await store.outbox()).filter((e) => e.record_id === recordId);
  return entries.length ? entries[entries.length - 1] : null;
}

// A change to a record: folded into its last operation while that one was never sent (or was
// refused), else a new update based on what this device last knew of the record.
async function saveChange(record, values) {
  const before = record.values;
  const changes = changedFields(before, values);
  record.values = values;
  record.updated_at = new Date().toISOString();
  const last = await lastOp(record.record_id);
  const foldable = last && (last.state === "pending" || last.state === "error");
  if (foldable && last.op.kind === "create") {
    const op = { ...last.op, op_id: store.newId(), values };
    record.base = values;
    await store.replaceOp(last.seq, op, "pending");
  } else if (foldable && (last.op.kind === "update" || last.op.kind === "resolve")) {
    const op = { ...last.op, op_id: store.newId(), changes: { ...last.op.changes, ...changes }, base: { ...last.op.base } };
    for (const name of Object.keys(changes)) { if (!(name in op.base)) { op.base[name] = before[name]; } }
    await store.replaceOp(last.seq, op, "pending");
  } else if (Object.keys(changes).length) {
    const base = {};
    for (const name of Object.keys(changes)) { base[name] = before[name]; }
    await store.addOp({ op_id: store.newId(), kind: "update", record_id: record.record_id, base_version: record.version || 1, base, changes });
  }
  await store.putRecord(record);
}

async function saveNew(values) {
  const record = {
    record_id: store.newId(),
    values,
    base: values,
    version: 1,
    photo: photo,
    screenings: [],
    updated_at: new Date().toISOString(),
  };
  const op = { op_id: store.newId(), kind: "create", record_id: record.record_id, form_version: app.dataset.formVersion, values };
  if (photo && values.photo_consent === "yes") {
    op.photo = { content_type: "image/jpeg", data: photo.split(",")[1] };
  } else {
    record.photo = null;
  }
  await store.putRecord(record);
  await store.addOp(op);
}

function resetForm() {
  editing = null;
  photo = null;
  form.reset();
  ui.clearErrors(form);
  ui.fillDefaults(form);
  ui.showRelevant(form);
  $("photo-preview").hidden = true;
  $("editing-note").hidden = true;
  $("cancel-edit").hidden = true;
  $("save-record").textContent = ui.t("save_new");
}

form.addEventListener("change", (event) => {
  ui.showRelevant(form);
  if (event.target.dataset && event.target.dataset.type === "image" && event.target.files.length) {
    ui.shrinkPhoto(event.target.files[0]).then((data) => {
      photo = data;
      $("photo-preview").src = data;
      $("photo-preview").hidden = false;
    }).catch(() => ui.showErrors(form, { photo: ui.t("photo_large") }));
  }
});

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const values = ui.readForm(form);
  const errors = ui.check(form, values);
  if (Object.keys(errors).length) { ui.showErrors(form, errors); return; }
  const wasEditing = editing !== null;
  form.inert = true; // nothing typed while the record is being saved is lost by the reset below
  try {
    if (wasEditing) { await saveChange(editing, values); } else { await saveNew(values); }
    resetForm();
  } finally {
    form.inert = false;
  }
  await renderAll(wasEditing ? ui.t("saved_change") : ui.t("saved"));
  $("status-line").focus();
  trySend();
});

$("cancel-edit").addEventListener("click", () => { resetForm(); panel("panel-cases"); });

async function openRecord(recordId, errors = null) {
  const record = await store.getRecord(recordId);
  if (!record) { return; }
  editing = record;
  ui.writeForm(form, record.values);
  $("editing-note").textContent = ui.t("editing", { name: recordName(record) });
  $("editing-note").hidden = false;
  $("cancel-edit").hidden = false;
  $("save-record").textContent = ui.t("save_change");
  panel("panel-register");
  if (errors) { ui.showErrors(form, errors); } else { form.querySelector("input, select").focus(); }
}

// --- screening -----------------------------------------------------------------------------
async function openScreening(recordId) {
  const record = await store.getRecord(recordId);
  if (!record) { return; }
  screeningFor = record;
  const screeningForm = $("screening-form");
  screeningForm.reset();
  $("screening-age").value = record.values.age_estimate ?? "";
  $("screening-child").textContent = recordName(record);
  panel("panel-screening");
  $("screening-title").focus();
}

$("screening-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const screeningForm = event.target;
  const answers = {};
  for (const input of screeningForm.querySelectorAll("input[type=radio]:checked")) {
    answers[input.name.slice(2)] = input.value;
  }
  const ageText = $("screening-age").value.trim();
  const interview = {
    interview_id: store.newId(),
    instrument: screeningForm.dataset.instrument,
    submission: { age: ageText === "" ? null : Number(ageText), answers, context: { setting: "humanitarian" } },
  };
  const record = screeningFor;
  record.screenings = [...(record.screenings || []), { interview_id: interview.interview_id, at: new Date().toISOString(), sent: false }];
  await store.putRecord(record);
  await store.addOp({ op_id: store.newId(), kind: "screening", record_id: record.record_id, screening: interview });
  screeningFor = null;
  panel("panel-cases");
  await renderAll(ui.t("screening_saved"));
  trySend();
});

$("screening-cancel").addEventListener("click", () => panel("panel-cases"));

// --- conflicts -----------------------------------------------------------------------------
$("conflict-list").addEventListener("submit", async (event) => {
  event.preventDefault();
  const card = event.target;
  const seq = Number(card.dataset.seq);
  const entry = (await store.outbox()).find((e) => e.seq === seq);
  if (!entry) { return; }
  const answer = entry.answer;
  const resolutions = [];
  for (const conflict of answer.conflicts) {
    const chosen = card.querySelector("input[name='choice-" + seq + "-" + conflict.field + "']:checked");
    if (!chosen) {
      const box = card.querySelector(".errors");
      box.textContent = ui.t("choose_each");
      box.hidden = false;
      return;
    }
    resolutions.push({ field: conflict.field, chosen: chosen.value, device_value: conflict.device_value, server_value: conflict.server_value });
  }
  const changes = { ...entry.op.changes };
  for (const item of resolutions) { if (item.chosen === "server") { delete changes[item.field]; } }
  const base = {};
  for (const name of Object.keys(changes)) { base[name] = answer.server_values[name]; }
  const op = { op_id: store.newId(), kind: "resolve", record_id: entry.record_id, base_version: answer.current_version, base, changes, resolutions };
  const record = await store.getRecord(entry.record_id);
  if (record) {
    record.values = { ...answer.server_values, ...changes };
    record.base = answer.server_values;
    record.version = answer.current_version;
    await store.putRecord(record);
  }
  await store.replaceOp(seq, op, "pending");
  await renderAll(ui.t("resolved"));
  trySend();
});

$("conflict-list").addEventListener("click", async (event) => {
  const seq = event.target.dataset ? event.target.dataset.fix : null;
  if (!seq) { return; }
  const entry = (await store.outbox()).find((e) => e.seq === Number(seq));
  if (entry) { await openRecord(entry.record_id, (entry.answer && entry.answer.fields) || {}); }
});

// --- lists' buttons, tabs, tools ------------------------------------------------------------
$("case-list").addEventListener("click", (event) => {
  const data = event.target.dataset || {};
  if (data.open) { openRecord(data.open); }
  if (data.screen) { openScreening(data.screen); }
});

for (const button of document.querySelectorAll(".field-tabs button")) {
  button.addEventListener("click", () => panel(button.dataset.panel));
}

$("lock-now").addEventListener("click", () => lockApp());

$("wipe-device").addEventListener("click", async () => {
  await store.wipe();
  if (navigator.serviceWorker && navigator.serviceWorker.controller) {
    navigator.serviceWorker.controller.postMessage({ type: "forget-pages" });
  }
  owner = null;
  status(ui.t("wiped"));
  show("vault-setup");
});

// --- sending -------------------------------------------------------------------------------
async function trySend() {
  if (!navigator.onLine || sending || !store.isUnlocked()) { return; }
  const waiting = (await store.outboxRows()).filter((r) => r.state === "pending" || r.state === "sent");
  if (!waiting.length) { return; } // nothing to send: no request at all
  sending = true;
  $("sign-in-needed").hidden = true;
  await refreshStatus(ui.t("sending"));
  try {
    const sent = await sync.sendOutbox(urls, owner, async (n) => refreshStatus(ui.t("sending") + " " + n));
    await sync.refreshRecent(urls).catch(() => 0);
    const rows = await store.outboxRows();
    sending = false;
    await renderAll(ui.t("sent", { n: sent, m: rows.filter((r) => r.state === "pending" || r.state === "sent").length }));
  } catch (error) {
    sending = false;
    if (error instanceof sync.SignInNeeded) {
      $("sign-in-needed").hidden = false;
      await renderAll(ui.t("sign_in"));
    } else if (error instanceof sync.OtherUser) {
      await renderAll(ui.t("other_user"));
    } else {
      // unanswered operations stay "sent" and go again next time (their ids make that harmless)
      await renderAll(ui.t("send_failed"));
    }
  }
}

$("send-now").addEventListener("click", () => trySend());
window.addEventListener("online", () => { refreshStatus(); trySend(); });
window.addEventListener("offline", () => refreshStatus());

// --- locking -------------------------------------------------------------------------------
function lockApp() {
  store.lock();
  editing = null;
  form.reset();
  $("unlock-owner").textContent = owner ? ui.t("owner", { user: owner.username }) : "";
  status(ui.t("locked"));
  show("vault-unlock");
}

function touch() {
  clearTimeout(idleTimer);
  if (store.isUnlocked()) { idleTimer = setTimeout(lockApp, IDLE_LOCK_MS); }
}
for (const name of ["click", "keydown", "touchstart"]) { document.addEventListener(name, touch, { passive: true }); }

async function opened() {
  show("app-body");
  resetForm();
  panel("panel-register");
  touch();
  await renderAll();
  app.dataset.ready = "true";
  if (navigator.onLine) {
    await sync.refreshRecent(urls).then(() => renderAll()).catch(() => null);
    trySend();
  }
}

$("setup-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const first = $("setup-passphrase").value;
  const again = $("setup-confirm").value;
  const error = $("setup-error");
  error.hidden = false;
  if (first.length < 8) { error.textContent = ui.t("passphrase_short"); return; }
  if (first !== again) { error.textContent = ui.t("passphrase_mismatch"); return; }
  let info;
  try { info = await sync.session(urls); } catch (problem) { error.textContent = ui.t("setup_online"); return; }
  error.hidden = true;
  await store.setUp(first, { user_id: info.user_id, username: info.username });
  const meta = await store.vault();
  owner = { user_id: meta.user_id, username: meta.username, device_id: meta.device_id };
  $("setup-passphrase").value = "";
  $("setup-confirm").value = "";
  await opened();
});

$("unlock-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const field = $("unlock-passphrase");
  const ok = await store.unlock(field.value);
  field.value = "";
  if (!ok) {
    $("unlock-error").textContent = ui.t("wrong_passphrase");
    $("unlock-error").hidden = false;
    return;
  }
  $("unlock-error").hidden = true;
  await opened();
});

function keepPageOffline() {
  if (!("serviceWorker" in navigator) || !window.isSecureContext) { return; }
  navigator.serviceWorker.ready.then((registration) => {
    if (registration.active) { registration.active.postMessage({ type: "keep-page", path: location.pathname }); }
    app.dataset.offlineReady = "true";
  }).catch(() => null);
}

async function start() {
  ui.loadWords(app);
  keepPageOffline();
  const meta = await store.vault();
  if (!meta) {
    show("vault-setup");
    status(navigator.onLine ? ui.t("online") : ui.t("offline"));
    return;
  }
  owner = { user_id: meta.user_id, username: meta.username, device_id: meta.device_id };
  lockApp();
  status(ui.t("locked"));
}

start();
