// Sending the outbox: in the order the records were made, in batches, each operation with its
// own id so that sending twice is harmless. Nothing leaves the outbox until the server has
// answered for it; a conflict or a refusal stays on the device for the caseworker to settle.
"use strict";

import * as store from "./store.js";

const MAX_BATCH_OPS = 100;
const MAX_BATCH_BYTES = 700000; // the server refuses bodies over 1 MB

export class SignInNeeded extends Error {}
export class OtherUser extends Error {}

async function getJson(url) {
  const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
  if (response.status === 401 || response.status === 403 || response.redirected) {
    throw new SignInNeeded();
  }
  if (!response.ok) { throw new Error("server " + response.status); }
  return response.json();
}

export async function session(urls) {
  const info = await getJson(urls.session);
  if (!info.signed_in) { throw new SignInNeeded(); }
  return info;
}

// The operations to send now: waiting ones, in order, but none for a record that has an
// earlier operation still to settle (a conflict or a refusal): a record's changes keep order.
export function sendable(entries) {
  const held = new Set();
  const out = [];
  for (const entry of entries) {
    if (entry.state === "conflict" || entry.state === "error") {
      held.add(entry.record_id);
      continue;
    }
    if (held.has(entry.record_id)) { continue; }
    out.push(entry);
  }
  return out;
}

function batches(entries) {
  const out = [];
  let current = [];
  let bytes = 0;
  for (const entry of entries) {
    const size = JSON.stringify(entry.op).length;
    if (current.length && (current.length >= MAX_BATCH_OPS || bytes + size > MAX_BATCH_BYTES)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(entry);
    bytes += size;
  }
  if (current.length) { out.push(current); }
  return out;
}

function pause() {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

// What a stored record becomes once the server has its operation.
async function settle(entry, result) {
  const record = await store.getRecord(entry.record_id);
  if (!record) { return; }
  if (entry.op.kind === "screening") {
    record.screenings = (record.screenings || []).map((s) => (
      s.interview_id === entry.op.screening.interview_id ? { ...s, sent: true, outcome: result.outcome } : s
    ));
  } else {
    record.case_id = result.case_id || record.case_id;
    record.reference = result.reference || record.reference;
    record.version = result.version || record.version;
    const sent = entry.op.kind === "create" ? entry.op.values : { ...record.base, ...entry.op.changes };
    record.base = { ...record.base, ...sent };
  }
  await store.putRecord(record);
}

export async function sendOutbox(urls, owner, onProgress) {
  const info = await session(urls);
  if (info.user_id !== owner.user_id) { throw new OtherUser(); }
  let sentCount = 0;
  const all = await store.outbox();
  const ready = sendable(all);
  for (const group of batches(ready)) {
    await store.setStates(group.map((e) => e.seq), "sent");
    const response = await fetch(urls.sync, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": info.csrf_token },
      body: JSON.stringify({ device_id: owner.device_id, ops: group.map((e) => e.op) }),
    });
    if (response.status === 401 || response.status === 403) { throw new SignInNeeded(); }
    if (!response.ok) { throw new Error("server " + response.status); }
    const answer = await response.json();
    const byOp = new Map(answer.results.map((r) => [r.op_id, r]));
    const finished = [];
    for (const entry of group) {
      const result = byOp.get(entry.op.op_id);
      if (!result || result.status === 424) {
        await store.setStates([entry.seq], "pending");
      } else if (result.status < 300) {
        await settle(entry, result);
        finished.push(entry.seq);
      } else if (result.status === 409) {
        await store.replaceOp(entry.seq, entry.op, "conflict", result);
      } else {
        await store.replaceOp(entry.seq, entry.op, "error", result);
      }
    }
    await store.removeOps(finished);
    sentCount += finished.length;
    if (onProgress) { await onProgress(sentCount); }
    await pause();
  }
  return sentCount;
}

// The caseworker's recent cases from the server, kept on the device. A record with changes
// still waiting keeps the device's values (the server's become its new base only when sent).
export async function refreshRecent(urls) {
  const data = await getJson(urls.mine);
  const waiting = new Set((await store.outboxRows()).map((row) => row.record_id));
  const local = new Map((await store.allRecords()).map((r) => [r.record_id, r]));
  const fresh = [];
  for (const item of data.results) {
    if (waiting.has(item.record_id)) { continue; }
    const mine = local.get(item.record_id) || {};
    fresh.push({
      record_id: item.record_id,
      case_id: item.case_id,
      reference: item.reference,
      version: item.version,
      values: item.values,
      base: item.values,
      photo: mine.photo || null,
      screenings: mine.screenings || [],
      updated_at: item.updated_at,
    });
  }
  await store.putRecords(fresh);
  return fresh.length;
}
