// The field app's page helpers: words in the caseworker's language (from the page), the
// registration form read and written as the form's values, and the checks made before saving
// (the server checks again: a device never has the last word on what is valid).
"use strict";

const words = new Map();

export function loadWords(root) {
  for (const item of root.querySelectorAll("#field-messages li")) {
    words.set(item.dataset.key, item.textContent.trim());
  }
}

export function t(key, params = {}) {
  let text = words.get(key) || key;
  for (const [name, value] of Object.entries(params)) {
    text = text.split("{" + name + "}").join(String(value));
  }
  return text;
}

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name === "text") { node.textContent = value; }
    else if (name === "dataset") { Object.assign(node.dataset, value); }
    else if (value !== null && value !== undefined && value !== false) { node.setAttribute(name, value === true ? "" : value); }
  }
  for (const child of children) {
    if (child !== null && child !== undefined) { node.append(child); }
  }
  return node;
}

// --- the registration form -----------------------------------------------------------------
function splitList(text, separator) {
  return text.split(separator).map((part) => part.trim()).filter((part) => part.length);
}

export function readForm(form) {
  const values = {};
  for (const control of form.querySelectorAll("input[data-type], select[data-type]")) {
    const type = control.dataset.type;
    if (type === "image") { continue; }
    const text = control.value.trim();
    if (type === "integer") {
      values[control.name] = text === "" ? null : Number(text);
    } else if (control.dataset.format === "list") {
      values[control.name] = splitList(text, ";");
    } else if (control.dataset.format === "languages") {
      values[control.name] = splitList(text, ";").map((code) => code.toLowerCase());
    } else if (control.dataset.format === "country") {
      values[control.name] = text.toUpperCase();
    } else {
      values[control.name] = text;
    }
  }
  const multi = new Map();
  for (const box of form.querySelectorAll("input[type=checkbox]")) {
    if (!multi.has(box.name)) { multi.set(box.name, []); }
    if (box.checked) { multi.get(box.name).push(box.value); }
  }
  for (const [name, chosen] of multi) { values[name] = chosen.sort(); }
  return values;
}

export function writeForm(form, values) {
  form.reset();
  for (const control of form.querySelectorAll("input[data-type], select[data-type]")) {
    if (control.dataset.type === "image") { continue; }
    const value = values[control.name];
    if (Array.isArray(value)) {
      control.value = value.join("; ");
    } else {
      control.value = value === null || value === undefined ? "" : String(value);
    }
  }
  for (const box of form.querySelectorAll("input[type=checkbox]")) {
    box.checked = Array.isArray(values[box.name]) && values[box.name].includes(box.value);
  }
  showRelevant(form);
}

export function fillDefaults(form) {
  for (const control of form.querySelectorAll("[data-default]")) {
    if (!control.value) { control.value = todayText(); }
  }
}

export function todayText() {
  const now = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
}

export function showRelevant(form) {
  for (const block of form.querySelectorAll("[data-relevant-field]")) {
    const other = form.querySelector("[name='" + block.dataset.relevantField + "']");
    block.hidden = !other || other.value !== block.dataset.relevantValue;
  }
}

export function clearErrors(form) {
  for (const node of form.querySelectorAll(".errors")) { node.hidden = true; node.textContent = ""; }
  for (const node of form.querySelectorAll("[aria-invalid]")) { node.removeAttribute("aria-invalid"); }
  const box = form.querySelector("#form-error");
  if (box) { box.hidden = true; }
}

export function showErrors(form, errors) {
  clearErrors(form);
  let first = null;
  for (const [name, messages] of Object.entries(errors)) {
    const node = form.querySelector("#e-" + name);
    const control = form.querySelector("[name='" + name + "']");
    if (node) { node.textContent = [].concat(messages).join(" "); node.hidden = false; }
    if (control) { control.setAttribute("aria-invalid", "true"); first = first || control; }
  }
  const box = form.querySelector("#form-error");
  if (box && Object.keys(errors).length) { box.hidden = false; }
  if (first) { first.focus(); }
}

export function check(form, values) {
  const errors = {};
  for (const control of form.querySelectorAll("[data-type]")) {
    const name = control.name;
    const value = values[name];
    const hidden = control.closest("[hidden]") !== null;
    if (control.required && !hidden && (value === "" || value === null || (Array.isArray(value) && !value.length))) {
      errors[name] = t("required");
      continue;
    }
    if (control.dataset.type === "integer" && value !== null && value !== undefined) {
      const low = Number(control.min); const high = Number(control.max);
      if (!Number.isInteger(value) || value < low || value > high) {
        errors[name] = t("range", { min: control.min, max: control.max });
      }
    }
    if (control.dataset.type === "date" && value && value > todayText()) { errors[name] = t("future"); }
    if (control.dataset.format === "country" && value && !/^[A-Z]{2}$/.test(value)) { errors[name] = t("country"); }
  }
  return errors;
}

export function fieldLabel(form, name) {
  const label = form.querySelector("label[for='f-" + name + "']") || form.querySelector("#field-" + name + " legend");
  return label ? label.textContent.replace(/\s*\*\s*$/, "").trim() : name;
}

export function shown(value) {
  if (value === null || value === undefined || value === "" || (Array.isArray(value) && !value.length)) {
    return t("empty");
  }
  return Array.isArray(value) ? value.join(", ") : String(value);
}

export function same(a, b) {
  const norm = (v) => (v === null || v === undefined ? "" : Array.isArray(v) ? JSON.stringify([...v].map(String).sort()) : String(v).trim());
  return norm(a) === norm(b);
}

// A photograph, made smaller on the device before it is kept (at most 800 pixels a side).
export function shrinkPhoto(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onerror = () => reject(reader.error);
    reader.onload = () => {
      const image = new Image();
      image.onerror = () => reject(new Error("image"));
      image.onload = () => {
        const scale = Math.min(1, 800 / Math.max(image.width, image.height));
        const canvas = document.createElement("canvas");
        canvas.width = Math.round(image.width * scale);
        canvas.height = Math.round(image.height * scale);
        canvas.getContext("2d").drawImage(image, 0, 0, canvas.width, canvas.height);
        resolve(canvas.toDataURL("image/jpeg", 0.7));
      };
      image.src = reader.result;
    };
    reader.readAsDataURL(file);
  });
}
