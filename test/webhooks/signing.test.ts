import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signWebhook, verifyWebhook } from "../../core/webhooks/signature.ts";

const secret = "whsec_test_0123456789abcdef";
const body = '{"id":"evt_CS2026110001_000001","type":"ticket.created"}';
const now = new Date("2026-11-23T02:00:00.000Z");
const ts = Math.floor(now.getTime() / 1000);

describe("webhook signatures", () => {
  it("are HMAC-SHA256 over timestamp.body, hex, prefixed v1= (what a receiver in any language recomputes)", () => {
    const expected = createHmac("sha256", secret).update(`${ts}.${body}`).digest("hex");
    expect(signWebhook(secret, ts, body)).toBe(`v1=${expected}`);
  });

  it("verify the body, the timestamp and the secret together", () => {
    const signature = signWebhook(secret, ts, body);
    const ok = { secret, body, timestamp: String(ts), signature, now };
    expect(verifyWebhook(ok)).toEqual({ ok: true });
    expect(verifyWebhook({ ...ok, body: body.replace("created", "escalated") })).toEqual({
      ok: false,
      reason: "mismatch",
    });
    expect(verifyWebhook({ ...ok, secret: `${secret}x` })).toEqual({ ok: false, reason: "mismatch" });
    // the same signature with another timestamp does not hold: the timestamp is signed too
    expect(verifyWebhook({ ...ok, timestamp: String(ts + 1) })).toEqual({ ok: false, reason: "mismatch" });
    expect(verifyWebhook({ ...ok, signature: undefined })).toEqual({ ok: false, reason: "missing" });
    expect(verifyWebhook({ ...ok, timestamp: "soon" })).toEqual({ ok: false, reason: "missing" });
  });

  it("refuse a replay: a request older (or newer) than the tolerance, however well signed", () => {
    const old = ts - 301;
    const replay = { secret, body, timestamp: String(old), signature: signWebhook(secret, old, body), now };
    expect(verifyWebhook(replay)).toEqual({ ok: false, reason: "stale" });
    expect(verifyWebhook({ ...replay, toleranceS: 600 })).toEqual({ ok: true });
    const future = ts + 301;
    expect(
      verifyWebhook({ ...replay, timestamp: String(future), signature: signWebhook(secret, future, body) }),
    ).toEqual({
      ok: false,
      reason: "stale",
    });
  });

  it("accept any of several signatures in the header (a receiver rotating secrets)", () => {
    const signature = `v1=${"0".repeat(64)}, ${signWebhook(secret, ts, body)}`;
    expect(verifyWebhook({ secret, body, timestamp: String(ts), signature, now })).toEqual({ ok: true });
  });
});
