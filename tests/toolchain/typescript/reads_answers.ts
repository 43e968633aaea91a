// Reads CVS answers through the types openapi-typescript generates from the bundled contract.
// tsc --strict compiles this only if every field below has its real type.
import type { components } from "./cvs";

type Schemas = components["schemas"];

export function holderName(answer: Schemas["OcrEkycCardResponse"]): string | undefined {
  if (answer.errorCode !== "0") {
    return undefined;
  }
  const item = Array.isArray(answer.data) ? answer.data[0] : answer.data;
  if (item.type === "12_id_card_front" || item.type === "chip_id_card_front") {
    return item.info.name.toUpperCase();
  }
  return undefined;
}

export function firstDocumentId(answer: Schemas["OcrCardResponse"]): string | undefined {
  if (answer.errorCode !== "0") {
    return answer.errorMessage.length > 0 ? undefined : "";
  }
  const first = answer.data[0];
  if (first.type === "passport") {
    return first.info.id;
  }
  return first.type === "9_id_card_front" ? first.info.id.padStart(12, "0") : undefined;
}

export function sameCardValidity(answer: Schemas["OcrEkycCardResponse"]): boolean {
  if (answer.errorCode !== "0" || Array.isArray(answer.data)) {
    return false;
  }
  const item = answer.data;
  return item.type === "passport" ? item.valid && item.invalidCode === 0 : false;
}

export function galleryUrls(answer: Schemas["FaceSearchSearchResponse"]): string[] {
  if (answer.status_code !== 0) {
    return [];
  }
  return answer.result.map((image) => `${image.id}: ${image.url}`);
}

export function cropWarning(answer: Schemas["SmartCropCropPersonResponse"]): string {
  if (answer.errorCode !== 0) {
    return answer.errorMessage;
  }
  return answer.invalidCode === 0 ? answer.url : `${answer.invalidCode} ${answer.invalidMessage}`;
}

export function similarity(answer: Schemas["FaceMatchingResponse"]): number {
  return answer.errorCode === "0" ? Number.parseFloat(answer.data.matching) : Number.NaN;
}
