import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HttpWebhookTransport, retryAfterMs } from "../../adapters/webhooks/http-transport.ts";
import { startReceiver } from "./support/receiver.ts";

let receiver: Awaited<ReturnType<typeof startReceiver>>;
const transport = new HttpWebhookTransport();
const post = (path: string, timeoutMs = 2000) =>
  transport.post({
    url: `${receiver.url}${path}`,
    headers: { "content-type": "application/json" },
    body: "{}",
    timeoutMs,
  });

beforeAll(async () => {
  receiver = await startReceiver((path) =>
    path === "/slow" ? "hang" : path === "/moved" ? 301 : path === "/down" ? 503 : undefined,
  );
});
afterAll(() => receiver.close());

describe("the HTTP webhook transport", () => {
  it("reports the status, and gives up on a receiver that does not answer in time", async () => {
    expect(await post("/ok")).toEqual({ status: 200 });
    expect(await post("/down")).toEqual({ status: 503 });
    expect(await post("/slow", 150)).toEqual({ error: "no answer within 150 ms" });
  });

  it("does not follow redirects", async () => {
    expect(await post("/moved")).toEqual({ status: 301 });
  });

  it("sends nothing to anything but http(s)", async () => {
    const before = receiver.received.length;
    expect(
      await transport.post({ url: "file:///etc/passwd", headers: {}, body: "{}", timeoutMs: 100 }),
    ).toEqual({
      error: "refused file: URL",
    });
    expect(receiver.received.length).toBe(before);
  });

  it("reads Retry-After as seconds or a date", () => {
    const now = Date.parse("2026-11-23T02:00:00.000Z");
    expect(retryAfterMs("120", now)).toBe(120_000);
    expect(retryAfterMs("Mon, 23 Nov 2026 02:01:00 GMT", now)).toBe(60_000);
    expect(retryAfterMs("soon", now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });
});
