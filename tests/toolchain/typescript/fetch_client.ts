// A typed client of the CVS API made with openapi-fetch from the bundled contract's types:
// Basic auth on every call, a multipart upload, and an answer narrowed by its code.
import createClient from "openapi-fetch";
import type { paths } from "./cvs";

declare const process: { argv: string[]; exit(code: number): never };
declare const Buffer: { from(text: string): { toString(encoding: "base64"): string } };

const [, , base, card] = process.argv;
const client = createClient<paths>({
  baseUrl: base,
  headers: { Authorization: "Basic " + Buffer.from("demo:p@55w0rd").toString("base64") },
});

async function main(): Promise<void> {
  const bytes = await (await fetch(card)).blob();
  const { data, error } = await client.POST("/api/v2/ekyc/card", {
    params: { query: { format_type: "file" } },
    // multipart: the generated body type says "string" for a file part; the FormData is what is sent
    body: { img: "" },
    bodySerializer: () => {
      const form = new FormData();
      form.append("img", bytes, "front.png");
      return form;
    },
  });
  if (error !== undefined || data === undefined) throw new Error("no answer");
  if (data.errorCode !== "0") throw new Error(`refused: ${data.errorMessage}`);
  const item = Array.isArray(data.data) ? data.data[0] : data.data;
  const name = "name" in item.info ? item.info.name : "(no name on this document type)";
  console.log(`read ${item.type}: ${name}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
