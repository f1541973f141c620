import { randomBytes } from "node:crypto";
import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import { type WebSocket, WebSocketServer } from "ws";
import { decodeFrame, encodeFrame, type Frame, headerOf } from "./frames.ts";

export const WS_CLIENT_CONFIG = {
  PingInterval: 120,
  ReconnectCount: -1,
  ReconnectInterval: 1,
  ReconnectNonce: 0,
};
const SERVICE_ID = 7;

interface Pending {
  resolve(answer: WsAnswer): void;
}

export interface WsAnswer {
  readonly status: number;
  readonly body: unknown;
}

/** The long-connection side of the local Feishu: endpoint sockets, ping/pong, event frames and their acks. */
export class WsHub {
  readonly #wss = new WebSocketServer({ noServer: true });
  /** Clients that have pinged: their handlers are attached (frames sent before that would be lost). */
  readonly #clients = new Set<WebSocket>();
  readonly #pending = new Map<string, Pending>();
  /** Frames received, for tests (pings and acks). */
  readonly received: Frame[] = [];
  #seq = 0;

  attach(server: Server): void {
    server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (!req.url?.startsWith("/ws")) {
        socket.destroy();
        return;
      }
      this.#wss.handleUpgrade(req, socket, head, (ws) => this.#accept(ws));
    });
  }

  url(base: string): string {
    const device = randomBytes(6).toString("hex");
    return `${base.replace(/^http/, "ws")}/ws?device_id=${device}&service_id=${SERVICE_ID}`;
  }

  get connected(): number {
    return this.#clients.size;
  }

  #accept(ws: WebSocket): void {
    ws.on("close", () => this.#clients.delete(ws));
    ws.on("message", (data: Buffer) => {
      let frame: Frame;
      try {
        frame = decodeFrame(new Uint8Array(data));
      } catch {
        ws.close(1002, "bad frame");
        return;
      }
      this.received.push(frame);
      if (frame.method === 0 && headerOf(frame, "type") === "ping") {
        this.#clients.add(ws);
        ws.send(
          encodeFrame({
            SeqID: 0,
            LogID: 0,
            service: frame.service,
            method: 0,
            headers: [{ key: "type", value: "pong" }],
            payload: new TextEncoder().encode(JSON.stringify(WS_CLIENT_CONFIG)),
          }),
        );
        return;
      }
      if (frame.method === 1) {
        const id = headerOf(frame, "message_id") ?? "";
        const pending = this.#pending.get(id);
        if (!pending) return;
        this.#pending.delete(id);
        const ack = JSON.parse(new TextDecoder().decode(frame.payload ?? new Uint8Array())) as {
          code: number;
          data?: string;
        };
        const body = ack.data ? JSON.parse(Buffer.from(ack.data, "base64").toString("utf8")) : undefined;
        pending.resolve({ status: ack.code, body });
      }
    });
  }

  /**
   * Sends one event to one connected client picked at random (Feishu never broadcasts), split into `parts`
   * frames, and waits for its ack.
   */
  push(envelope: unknown, parts = 1, timeoutMs = 3000): Promise<WsAnswer> {
    const clients = [...this.#clients];
    if (clients.length === 0) return Promise.resolve({ status: 0, body: "no connected client" });
    const ws = clients[Math.floor(Math.random() * clients.length)]!;
    const bytes = new TextEncoder().encode(JSON.stringify(envelope));
    const id = `msg_${randomBytes(8).toString("hex")}`;
    const size = Math.ceil(bytes.length / parts);
    return new Promise<WsAnswer>((resolve) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        resolve({ status: 0, body: "no ack within the time limit" });
      }, timeoutMs);
      this.#pending.set(id, {
        resolve: (a) => {
          clearTimeout(timer);
          resolve(a);
        },
      });
      for (let i = 0; i < parts; i++) {
        ws.send(
          encodeFrame({
            SeqID: ++this.#seq,
            LogID: this.#seq,
            service: SERVICE_ID,
            method: 1,
            headers: [
              { key: "type", value: "event" },
              { key: "message_id", value: id },
              { key: "sum", value: String(parts) },
              { key: "seq", value: String(i) },
              { key: "trace_id", value: randomBytes(4).toString("hex") },
            ],
            payload: bytes.subarray(i * size, (i + 1) * size),
          }),
        );
      }
    });
  }

  /** Drops every connection (the SDK then asks the endpoint again and reconnects). */
  dropAll(): void {
    for (const ws of this.#clients) ws.terminate();
  }

  close(): void {
    for (const ws of this.#clients) ws.terminate();
    this.#wss.close();
  }
}
