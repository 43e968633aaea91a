// A TypeScript client of the admin API, typed by openapi-typescript from
// contracts/admin.openapi.yaml: it checks health, forces an outcome, makes an image, verifies
// through the journal and resets, against the fake whose /__mock__ URL it is given.
import type { paths } from "./admin";

type Health = paths["/health"]["get"]["responses"]["200"]["content"]["application/json"];
type Force = paths["/outcomes"]["post"]["requestBody"]["content"]["application/json"];
type Pending = paths["/outcomes"]["post"]["responses"]["201"]["content"]["application/json"];
type ImageRequest = paths["/images"]["post"]["requestBody"]["content"]["application/json"];
type Journal = paths["/journal"]["get"]["responses"]["200"]["content"]["application/json"];
type Reset = paths["/reset"]["post"]["responses"]["200"]["content"]["application/json"];

declare const process: { argv: string[]; exit(code: number): never };

const base: string = process.argv[2];
const auth = { Authorization: "Basic ZGVtbzpwQDU1dzByZA==", "Content-Type": "application/json" };

async function json<T>(path: string, init?: RequestInit): Promise<T> {
  const answer = await fetch(base + path, { ...init, headers: auth });
  return (await answer.json()) as T;
}

async function main(): Promise<void> {
  const health = await json<Health>("/health");
  if (health.status !== "ok" || health.mode !== "fake") throw new Error(`not healthy: ${health.status}`);
  const force: Force = { flow: "ocr", code: "4" };
  const pending = await json<Pending>("/outcomes", { method: "POST", body: JSON.stringify(force) });
  if (pending.pending["ocr"] !== 1) throw new Error("the outcome was not queued");
  const card: ImageRequest = { kind: "id_card", type: "chip_id_card_front", host: true };
  const hosted = await json<{ url: string }>("/images", { method: "POST", body: JSON.stringify(card) });
  const api = base.replace(/\/__mock__$/, "");
  const read = await fetch(`${api}/api/v2/ekyc/card?img=${hosted.url}&format_type=url`, { headers: auth });
  const body = (await read.json()) as { errorCode: string };
  if (body.errorCode !== "4") throw new Error(`the forced quota was not answered: ${body.errorCode}`);
  const counted = await json<Journal>("/journal?flow=ocr&code=4&count=true");
  if (counted.count !== 1) throw new Error(`journal count ${counted.count}`);
  const reset = await json<Reset>("/reset", { method: "POST" });
  if (reset.status !== "reset") throw new Error("not reset");
  console.log("steered the fake: health, outcome, image, journal, reset");
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
