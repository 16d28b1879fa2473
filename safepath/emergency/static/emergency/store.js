// The field app's store on the device: IndexedDB, every record encrypted with AES-GCM.
//
// Keys: a random 256-bit data key encrypts the records. It is kept only *wrapped* (AES-GCM) by
// a key-encryption key derived from the caseworker's passphrase with PBKDF2-SHA-256
// (600,000 iterations, a random 16-byte salt). Neither the passphrase nor a usable key is ever
// stored: after unlocking, the data key lives in memory as a non-extractable CryptoKey, and is
// dropped when the app locks or the page closes. See docs/emergency/offline-store.md.
//
// What is in clear in IndexedDB: random record ids, the order and state of waiting operations,
// the salt, the wrapped key, the device id and the username. Names and every other value of a
// child are inside the ciphertexts, each bound (as AES-GCM additional data) to its store and id.
"use strict";

const DB_NAME = "safepath-field";
const DB_VERSION = 1;
export const ITERATIONS = 600000;
const KEY_LABEL = new TextEncoder().encode("safepath-field-data-key-v1");

let database = null;
let dataKey = null;

function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function done(tx) {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error || new Error("aborted"));
  });
}

export async function open() {
  if (database) { return database; }
  const req = indexedDB.open(DB_NAME, DB_VERSION);
  req.onupgradeneeded = () => {
    const db = req.result;
    db.createObjectStore("meta", { keyPath: "name" });
    db.createObjectStore("records", { keyPath: "id" });
    const outbox = db.createObjectStore("outbox", { keyPath: "seq", autoIncrement: true });
    outbox.createIndex("record_id", "record_id");
  };
  database = await request(req);
  return database;
}

async function getMeta(name) {
  const db = await open();
  return request(db.transaction("meta").objectStore("meta").get(name));
}

async function putMeta(value) {
  const db = await open();
  const tx = db.transaction("meta", "readwrite");
  tx.objectStore("meta").put(value);
  await done(tx);
}

function randomBytes(n) {
  return crypto.getRandomValues(new Uint8Array(n));
}

export function newId() {
  return crypto.randomUUID();
}

async function keyEncryptionKey(passphrase, salt, iterations) {
  const base = await crypto.subtle.importKey(
    "raw", new TextEncoder().encode(passphrase), "PBKDF2", false, ["deriveKey"]
  );
  return crypto.subtle.deriveKey(
    { name: "PBKDF2", salt, iterations, hash: "SHA-256" },
    base,
    { name: "AES-GCM", length: 256 },
    false,
    ["wrapKey", "unwrapKey"]
  );
}

export async function vault() {
  return getMeta("vault");
}

export function isUnlocked() {
  return dataKey !== null;
}

export function lock() {
  dataKey = null;
}

// First use: a new data key, wrapped under the passphrase; the device id and its owner.
export async function setUp(passphrase, owner) {
  const salt = randomBytes(16);
  const kek = await keyEncryptionKey(passphrase, salt, ITERATIONS);
  const fresh = await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, true, ["encrypt", "decrypt"]);
  const iv = randomBytes(12);
  const wrapped = await crypto.subtle.wrapKey("raw", fresh, kek, { name: "AES-GCM", iv, additionalData: KEY_LABEL });
  await putMeta({
    name: "vault",
    salt,
    iterations: ITERATIONS,
    iv,
    wrapped,
    user_id: owner.user_id,
    username: owner.username,
    device_id: newId(),
    created_at: new Date().toISOString(),
  });
  return unlock(passphrase);
}

// Unwrapping fails (the AES-GCM tag does not verify) when the passphrase is wrong.
export async function unlock(passphrase) {
  const meta = await vault();
  if (!meta) { return false; }
  const kek = await keyEncryptionKey(passphrase, meta.salt, meta.iterations);
  try {
    dataKey = await crypto.subtle.unwrapKey(
      "raw", meta.wrapped, kek, { name: "AES-GCM", iv: meta.iv, additionalData: KEY_LABEL },
      { name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]
    );
    return true;
  } catch (error) {
    dataKey = null;
    return false;
  }
}

async function seal(value, label) {
  if (!dataKey) { throw new Error("locked"); }
  const iv = randomBytes(12);
  const data = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: new TextEncoder().encode(label) },
    dataKey,
    new TextEncoder().encode(JSON.stringify(value))
  );
  return { iv, data };
}

async function unseal(box, label) {
  if (!dataKey) { throw new Error("locked"); }
  const plain = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: box.iv, additionalData: new TextEncoder().encode(label) },
    dataKey,
    box.data
  );
  return JSON.parse(new TextDecoder().decode(plain));
}

// --- records: the device's copy of each child's registration ---------------------------------
export async function putRecords(records) {
  const boxes = [];
  for (const record of records) {
    boxes.push({ id: record.record_id, box: await seal(record, "records:" + record.record_id) });
  }
  const db = await open();
  const tx = db.transaction("records", "readwrite");
  for (const item of boxes) { tx.objectStore("records").put(item); }
  await done(tx);
}

export async function putRecord(record) {
  return putRecords([record]);
}

export async function allRecords() {
  const db = await open();
  const rows = await request(db.transaction("records").objectStore("records").getAll());
  const out = [];
  for (const row of rows) { out.push(await unseal(row.box, "records:" + row.id)); }
  return out;
}

export async function getRecord(recordId) {
  const db = await open();
  const row = await request(db.transaction("records").objectStore("records").get(recordId));
  return row ? unseal(row.box, "records:" + row.id) : null;
}

// --- the outbox: operations waiting to be sent, in the order they were made ------------------
// Each row: {seq, record_id, state: pending|sent|conflict|error, box: the sealed operation and
// what the server answered}. ``seq`` (IndexedDB's key generator) keeps the order.
export async function addOp(op, state = "pending") {
  const entry = { op, answer: null };
  const sealed = await seal(entry, "outbox:" + op.op_id);
  const db = await open();
  const tx = db.transaction("outbox", "readwrite");
  tx.objectStore("outbox").add({ record_id: op.record_id, op_id: op.op_id, state, box: sealed });
  await done(tx);
}

export async function replaceOp(seq, op, state, answer = null) {
  const sealed = await seal({ op, answer }, "outbox:" + op.op_id);
  const db = await open();
  const tx = db.transaction("outbox", "readwrite");
  tx.objectStore("outbox").put({ seq, record_id: op.record_id, op_id: op.op_id, state, box: sealed });
  await done(tx);
}

export async function setStates(seqs, state) {
  const db = await open();
  const tx = db.transaction("outbox", "readwrite");
  const store = tx.objectStore("outbox");
  for (const seq of seqs) {
    const row = await request(store.get(seq));
    if (row) { row.state = state; store.put(row); }
  }
  await done(tx);
}

export async function removeOps(seqs) {
  const db = await open();
  const tx = db.transaction("outbox", "readwrite");
  for (const seq of seqs) { tx.objectStore("outbox").delete(seq); }
  await done(tx);
}

export async function outboxRows() {
  const db = await open();
  return request(db.transaction("outbox").objectStore("outbox").getAll());
}

export async function outbox() {
  const rows = await outboxRows();
  const out = [];
  for (const row of rows) {
    const entry = await unseal(row.box, "outbox:" + row.op_id);
    out.push({ seq: row.seq, state: row.state, record_id: row.record_id, op: entry.op, answer: entry.answer });
  }
  return out.sort((a, b) => a.seq - b.seq);
}

export async function wipe() {
  lock();
  if (database) { database.close(); database = null; }
  await request(indexedDB.deleteDatabase(DB_NAME));
}
