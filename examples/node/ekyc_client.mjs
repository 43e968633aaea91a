// An eKYC client of the CVS API v2, the kind a team writes: read both sides of a citizen
// card, check that three portraits are one live person, match the card's face to the selfie.
// It retries a dropped connection, and says which shot to take again.

const QUOTA = "4";
const RETAKE = { 1: "mid", 2: "left", 3: "right", 4: "left", 5: "right", 6: "mid", 7: "left", 8: "right" };

export class QuotaExhausted extends Error {}
export class NotLive extends Error {
  constructor(message, code, retake) {
    super(message);
    this.code = code;
    this.retake = retake;
  }
}

export class EkycClient {
  constructor(baseUrl, apiKey, apiSecret, { retries = 2 } = {}) {
    this.baseUrl = baseUrl.replace(/\/$/, "");
    this.auth = "Basic " + Buffer.from(`${apiKey}:${apiSecret}`).toString("base64");
    this.retries = retries;
  }

  async #post(path, parts) {
    for (let attempt = 0; ; attempt += 1) {
      const form = new FormData();
      for (const [name, bytes] of Object.entries(parts)) form.append(name, new Blob([bytes]), `${name}.png`);
      try {
        const answer = await fetch(this.baseUrl + path, { method: "POST", body: form, headers: { Authorization: this.auth } });
        return await answer.json();
      } catch (error) {
        if (attempt >= this.retries) throw error; // a dropped connection: the request is sent again
      }
    }
  }

  async readCard(front, back) {
    const body = await this.#post("/api/v2/ekyc/cards?format_type=file", { img1: front, img2: back });
    if (String(body.errorCode) === QUOTA) throw new QuotaExhausted(body.errorMessage);
    if (String(body.errorCode) !== "0") throw new Error(`card rejected: ${body.errorMessage}`);
    const front_ = body.data.find((item) => item.type.endsWith("_front"));
    return front_.info;
  }

  async checkLiveness(left, mid, right) {
    const body = await this.#post("/api/v2/ekyc/verify_liveness", { portrait_left: left, portrait_mid: mid, portrait_right: right });
    if (String(body.errorCode) === QUOTA) throw new QuotaExhausted(body.errorMessage);
    const code = String(body.data.invalidCode);
    if (code !== "0") throw new NotLive(body.data.invalidMessage, code, RETAKE[code] ?? "mid");
    return Number(body.data.matching_mid_left);
  }

  async match(card, selfie) {
    const body = await this.#post("/api/v2/ekyc/face_matching?format_type=file&type1=card", { img1: card, img2: selfie });
    if (String(body.errorCode) === QUOTA) throw new QuotaExhausted(body.errorMessage);
    return Number(body.data.matching);
  }
}
