import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface Received {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** What the receiver answered: a status, or nothing (it hung until the sender gave up). */
  readonly answer: number | "hang";
}

/** How the receiver answers the n-th request (1-based) for an event id on a path; 200 when it returns nothing. */
export type Script = (path: string, eventId: string, attempt: number) => number | "hang" | undefined;

/** A local HTTP receiver that records every request and answers (or hangs) as scripted. */
export async function startReceiver(script: Script = () => undefined) {
  const received: Received[] = [];
  const attempts = new Map<string, number>();
  const hanging: ServerResponse[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = req.url ?? "/";
      const eventId = String(req.headers["x-closeloop-event-id"] ?? "");
      const key = `${path} ${eventId}`;
      const attempt = (attempts.get(key) ?? 0) + 1;
      attempts.set(key, attempt);
      const answer = script(path, eventId, attempt) ?? 200;
      received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), answer });
      if (answer === "hang") hanging.push(res);
      else res.writeHead(answer, { "content-type": "text/plain" }).end(answer < 300 ? "ok" : "no");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    /** Requests answered 2xx, per path. */
    accepted: (path: string) =>
      received.filter((r) => r.path === path && r.answer !== "hang" && r.answer < 300),
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Polls until `done` holds; a deadline, not a timing assertion (it only guards against hanging forever). */
export async function waitFor(
  done: () => boolean | Promise<boolean>,
  what: string,
  deadlineMs = 60_000,
): Promise<void> {
  const until = Date.now() + deadlineMs;
  while (!(await done())) {
    if (Date.now() > until) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
