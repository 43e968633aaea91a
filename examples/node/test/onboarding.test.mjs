// The client's tests against a served fake: CVS_BASE_URL, started with --tenants open, so
// each test is a tenant of its own and any number of suites share one fake.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { beforeEach, afterEach, test } from "node:test";

import { EkycClient, NotLive, QuotaExhausted } from "../ekyc_client.mjs";

const BASE = (process.env.CVS_BASE_URL ?? "http://127.0.0.1:8080").replace(/\/$/, "");
let tenant;

function auth() {
  return "Basic " + Buffer.from(`${tenant.key}:${tenant.secret}`).toString("base64");
}

async function admin(path, { method = "GET", body } = {}) {
  const answer = await fetch(`${BASE}/__mock__${path}`, {
    method,
    headers: { Authorization: auth(), "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  assert.ok(answer.ok, `${method} ${path}: HTTP ${answer.status}`);
  return answer;
}

async function image(spec) {
  return Buffer.from(await (await admin("/images", { method: "POST", body: spec })).arrayBuffer());
}

async function shots(spec) {
  const made = await (await admin("/images", { method: "POST", body: { kind: "liveness_shots", ...spec } })).json();
  return ["portrait_left", "portrait_mid", "portrait_right"].map((part) => Buffer.from(made[part], "base64"));
}

beforeEach(async () => {
  tenant = { key: `node-${randomBytes(6).toString("hex")}`, secret: randomBytes(12).toString("hex") };
  await admin("/reset", { method: "POST" });
});

afterEach(async () => {
  await admin("/reset?forget=true", { method: "POST" });
});

function client() {
  return new EkycClient(BASE, tenant.key, tenant.secret);
}

test("the happy eKYC path: card, live shots, one person", async () => {
  const front = await image({ kind: "id_card", type: "chip_id_card_front", identity: "mai", fields: { name: "TRẦN THỊ MAI" } });
  const back = await image({ kind: "id_card", type: "chip_id_card_back" });
  const info = await client().readCard(front, back);
  assert.equal(info.name, "TRẦN THỊ MAI");
  const [left, mid, right] = await shots({ person: "mai" });
  assert.ok((await client().checkLiveness(left, mid, right)) > 0);
  assert.ok((await client().match(front, mid)) >= 80);
});

test("out of requests is its own error", async () => {
  await admin("/outcomes", { method: "POST", body: { flow: "ocr", code: "4" } });
  const card = await image({ kind: "id_card", type: "chip_id_card_front" });
  await assert.rejects(client().readCard(card, card), QuotaExhausted);
});

test("a dropped connection is retried and billed once", async () => {
  await admin("/outcomes", { method: "POST", body: { flow: "ocr", fault: "drop" } });
  const front = await image({ kind: "id_card", type: "chip_id_card_front" });
  const back = await image({ kind: "id_card", type: "chip_id_card_back" });
  await client().readCard(front, back);
  const usage = await (await admin("/usage")).json();
  assert.deepEqual(usage.totals[tenant.key]["ekyc/cards"], { requests: 2, billable: 1 });
});

test("a spoofed mid shot asks for that shot again", async () => {
  const [left, mid, right] = await shots({ person: "an", mid: { kind: "portrait", person: "an", spoof: "screen" } });
  const refused = await client().checkLiveness(left, mid, right).catch((error) => error);
  assert.ok(refused instanceof NotLive);
  assert.equal(refused.code, "6");
  assert.equal(refused.retake, "mid");
});

test("the journal says what the client sent", async () => {
  const card = await image({ kind: "id_card", type: "chip_id_card_front" });
  await client().readCard(card, await image({ kind: "id_card", type: "chip_id_card_back" }));
  const counted = await (await admin("/journal?endpoint=ekyc/cards&code=0&count=true")).json();
  assert.deepEqual(counted, { count: 1 });
  assert.equal(card.subarray(1, 4).toString(), "PNG");
});
