// Proof of work for Convoca's forms: the vendored ALTCHA widget solves a challenge from
// /api/v1/challenge while the visitor fills the form. Without JavaScript the form still works:
// the server then puts the submission in its strict lane.
import "../vendor/altcha/altcha.min.js";

const files = { ar: "ar", de: "de", es: "es-es", fr: "fr-fr", it: "it", pt: "pt-pt", tr: "tr", ur: "ur" };
const language = document.documentElement.lang;
const worker = new URL("../vendor/altcha/workers/pbkdf2.js", import.meta.url);
globalThis.$altcha.algorithms.set("PBKDF2/SHA-256", () => new Worker(worker));
if (files[language]) {
  await import(`../vendor/altcha/i18n/${files[language]}.js`);
  for (const widget of document.querySelectorAll("altcha-widget")) {
    widget.configure({ language: files[language] });
  }
}
