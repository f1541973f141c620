import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_TICKETS } from "../../adapters/sandbox/demo-tickets.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

describe("sandbox demo", () => {
  let s: TestServer;
  const dataDir = mkdtempSync(join(tmpdir(), "closeloop-demo-"));
  beforeAll(async () => {
    s = await startTestServer({ seedDemo: true, dataDir });
  });
  afterAll(async () => {
    await s.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("seeds a dozen realistic tickets in every state on first start", async () => {
    const res = await s.call("GET", "/api/v1/tickets?limit=100");
    expect(res.body.items).toHaveLength(DEMO_TICKETS.length);
    expect(DEMO_TICKETS.length).toBeGreaterThanOrEqual(12);
    const statuses = new Set(res.body.items.map((t: { status: string }) => t.status));
    expect([...statuses].sort()).toEqual(["in_progress", "pending", "resolved"]);
    expect(res.body.items.some((t: { nudges: { count: number } }) => t.nudges.count > 0)).toBe(true);
    expect(res.body.items.some((t: { reopenedAt?: string }) => t.reopenedAt)).toBe(true);
  });

  it("serves the card gallery in sandbox mode", async () => {
    const page = await s.call("GET", "/cards");
    expect(page.status).toBe(200);
    expect(page.text).toContain("CS2026110031");
    expect(page.text).not.toMatch(/1[3-9]\d{9}/);
    const script = await s.call("GET", "/cards/adaptivecards.min.js");
    expect(script.status).toBe(200);
    expect(script.text.length).toBeGreaterThan(10_000);
  });

  it("lists the notifications that would have gone to chat", async () => {
    const kindsIn = (body: { items: { kinds: string[] }[] }) => body.items.flatMap((n) => n.kinds);
    let res = await s.call("GET", "/api/v1/sandbox/notifications");
    // the dispatcher delivers the seeded tickets' notifications in the background, in several passes
    for (let i = 0; i < 200; i++) {
      const seen = kindsIn(res.body);
      if (seen.includes("nudge") && seen.includes("confirmation_request")) break;
      await new Promise((r) => setTimeout(r, 50));
      res = await s.call("GET", "/api/v1/sandbox/notifications");
    }
    expect(res.status).toBe(200);
    const kinds = kindsIn(res.body);
    expect(kinds).toContain("nudge");
    expect(kinds).toContain("confirmation_request");
  });

  it("does not seed again into a store that has tickets", async () => {
    await s.stop();
    const again = await startTestServer({ seedDemo: true, dataDir });
    s = again;
    const res = await again.call("GET", "/api/v1/tickets?limit=100");
    expect(res.body.items).toHaveLength(DEMO_TICKETS.length);
  });
});
