import { request } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { limitBody } from "../../adapters/http/body-limit.ts";

const LIMIT = 1000;
const seen: string[] = [];
const app = new Hono();
app.use(limitBody(LIMIT, (c) => c.json({ error: "too large" }, 413)));
app.post("/echo", async (c) => {
  const text = await c.req.text();
  seen.push(text);
  return c.json({ bytes: text.length });
});
let server: ReturnType<typeof serve>;
let port = 0;

beforeAll(async () => {
  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Posts `body` in `chunks` pieces; with `declare` the length goes in Content-Length, else it is chunked. */
function post(body: string, declare: boolean, chunks = 4): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        path: "/echo",
        method: "POST",
        headers: declare ? { "content-length": Buffer.byteLength(body) } : {},
      },
      (res) => {
        let text = "";
        res.on("data", (d) => (text += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on("error", reject);
    const size = Math.ceil(body.length / chunks);
    for (let i = 0; i < body.length; i += size) req.write(body.slice(i, i + size));
    req.end();
  });
}

describe("the request body limit", () => {
  it("passes a declared body at the limit and refuses one byte more, unread", async () => {
    seen.length = 0;
    expect(await post("a".repeat(LIMIT), true)).toEqual({ status: 200, text: `{"bytes":${LIMIT}}` });
    const over = await post("b".repeat(LIMIT + 1), true);
    expect(over.status).toBe(413);
    expect(over.text).toContain("too large");
    expect(seen).toEqual(["a".repeat(LIMIT)]);
  });

  it("counts a chunked body as it arrives: under passes whole, over is refused", async () => {
    seen.length = 0;
    expect((await post("c".repeat(900), false)).status).toBe(200);
    expect((await post("d".repeat(LIMIT * 3), false)).status).toBe(413);
    expect(seen).toEqual(["c".repeat(900)]);
  });

  it("counts bytes, not characters, for a chunked body", async () => {
    seen.length = 0;
    // 400 CJK characters are 1,200 bytes in UTF-8.
    expect((await post("工".repeat(400), false)).status).toBe(413);
    expect((await post("工".repeat(300), false)).status).toBe(200);
    expect(seen).toEqual(["工".repeat(300)]);
  });
});
