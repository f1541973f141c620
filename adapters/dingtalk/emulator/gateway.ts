import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { type WebSocket, WebSocketServer } from "ws";

/** A frame the emulator pushed and is waiting to see acknowledged. */
export interface PendingFrame {
  readonly messageId: string;
  readonly topic: string;
  readonly type: "EVENT" | "CALLBACK" | "SYSTEM";
  readonly text: string;
  deliveries: number;
  acked: boolean;
  response?: unknown;
  timer?: ReturnType<typeof setTimeout>;
  readonly waiters: ((ack: unknown) => void)[];
}

interface Connection {
  readonly id: string;
  readonly socket: WebSocket;
  readonly subscriptions: readonly { type: string; topic: string }[];
  /** After a `disconnect` notice the gateway stops delivering on this connection. */
  draining: boolean;
}

export interface Ticket {
  readonly subscriptions: readonly { type: string; topic: string }[];
  readonly expiresAt: number;
  used: boolean;
}

export interface GatewayOptions {
  readonly now: () => number;
  readonly appId: string;
  readonly redeliverAfterMs: number;
  readonly disconnectCloseAfterMs: number;
}

/**
 * The stream gateway: one-shot tickets, WebSocket connections that subscribed topics, frames pushed to
 * one random live subscriber, acknowledgements checked by messageId, redelivery of what was not
 * acknowledged, ping and disconnect system messages, and abrupt drops.
 */
export class Gateway {
  readonly #o: GatewayOptions;
  readonly #wss = new WebSocketServer({ noServer: true });
  readonly tickets = new Map<string, Ticket>();
  readonly #connections: Connection[] = [];
  readonly frames = new Map<string, PendingFrame>();
  /** Every acknowledgement received, raw; and the ones that were not well formed. */
  readonly acks: unknown[] = [];
  readonly badAcks: string[] = [];
  /** Handshakes refused (missing, used, expired ticket; or the refuse switch). */
  refusedUpgrades = 0;
  refuseUpgrades = false;
  connectionsOpened = 0;

  constructor(o: GatewayOptions) {
    this.#o = o;
  }

  issueTicket(subscriptions: readonly { type: string; topic: string }[]): string {
    const ticket = randomUUID();
    this.tickets.set(ticket, { subscriptions, expiresAt: this.#o.now() + 90_000, used: false });
    return ticket;
  }

  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? "/", "http://localhost");
    const ticket = this.tickets.get(url.searchParams.get("ticket") ?? "");
    const refuse = (status: string) => {
      this.refusedUpgrades++;
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (url.pathname !== "/connect") {
      refuse("404 Not Found");
      return;
    }
    if (this.refuseUpgrades) {
      refuse("503 Service Unavailable");
      return;
    }
    if (!ticket || ticket.used || ticket.expiresAt <= this.#o.now()) {
      refuse("401 Unauthorized");
      return;
    }
    ticket.used = true;
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#accept(ws, ticket));
  }

  #accept(socket: WebSocket, ticket: Ticket): void {
    const conn: Connection = {
      id: randomUUID(),
      socket,
      subscriptions: ticket.subscriptions,
      draining: false,
    };
    this.#connections.push(conn);
    this.connectionsOpened++;
    socket.on("message", (data) => this.#onAck(String(data)));
    socket.on("close", () => {
      const i = this.#connections.indexOf(conn);
      if (i >= 0) this.#connections.splice(i, 1);
    });
    // Frames that found no connection while none was up go out now.
    for (const f of this.frames.values()) if (!f.acked && f.deliveries === 0) this.#send(f);
  }

  get liveConnections(): number {
    return this.#connections.filter((c) => c.socket.readyState === c.socket.OPEN && !c.draining).length;
  }

  #subscriber(type: string, topic: string): Connection | undefined {
    const live = this.#connections.filter(
      (c) =>
        c.socket.readyState === c.socket.OPEN &&
        !c.draining &&
        c.subscriptions.some(
          (s) => s.type === type && (s.topic === topic || (type === "EVENT" && s.topic === "*")),
        ),
    );
    return live[Math.floor(Math.random() * live.length)];
  }

  #frame(type: PendingFrame["type"], topic: string, messageId: string, data: unknown): string {
    return JSON.stringify({
      specVersion: "1.0",
      type,
      headers: {
        appId: this.#o.appId,
        connectionId: randomUUID(),
        contentType: "application/json",
        messageId,
        time: String(this.#o.now()),
        topic,
      },
      data: JSON.stringify(data),
    });
  }

  /** Pushes a CALLBACK (or EVENT) frame; it is redelivered until acknowledged. */
  push(type: "CALLBACK" | "EVENT", topic: string, data: unknown): PendingFrame {
    const messageId = randomUUID();
    const frame: PendingFrame = {
      messageId,
      topic,
      type,
      text: this.#frame(type, topic, messageId, data),
      deliveries: 0,
      acked: false,
      waiters: [],
    };
    this.frames.set(messageId, frame);
    this.#send(frame);
    return frame;
  }

  #send(f: PendingFrame): void {
    const conn = this.#subscriber(f.type, f.topic);
    if (conn) {
      f.deliveries++;
      conn.socket.send(f.text);
    }
    if (f.timer) clearTimeout(f.timer);
    f.timer = setTimeout(() => {
      if (!f.acked) this.#send(f);
    }, this.#o.redeliverAfterMs);
    f.timer.unref();
  }

  /** Sends an unacknowledged frame again now (as DingTalk does tens of seconds later). */
  redeliver(messageId: string): void {
    const f = this.frames.get(messageId);
    if (f) this.#send(f);
  }

  /** Sends an already acknowledged frame once more: a duplicate, as at-least-once delivery allows. */
  duplicate(messageId: string): void {
    const f = this.frames.get(messageId);
    const conn = f && this.#subscriber(f.type, f.topic);
    if (f && conn) {
      f.deliveries++;
      conn.socket.send(f.text);
    }
  }

  #onAck(text: string): void {
    let ack: { code?: unknown; headers?: { messageId?: unknown; contentType?: unknown }; data?: unknown };
    try {
      ack = JSON.parse(text);
    } catch {
      this.badAcks.push(`not JSON: ${text.slice(0, 100)}`);
      return;
    }
    this.acks.push(ack);
    const id = ack.headers?.messageId;
    if (ack.code !== 200 || typeof id !== "string" || typeof ack.data !== "string") {
      this.badAcks.push(`malformed ack: ${text.slice(0, 200)}`);
      return;
    }
    const f = this.frames.get(id);
    if (!f) return; // ping answers and acks of system frames
    let data: unknown;
    try {
      data = JSON.parse(ack.data);
    } catch {
      this.badAcks.push(`ack data is not JSON: ${id}`);
      return;
    }
    if (f.type === "CALLBACK" && (typeof data !== "object" || data === null || !("response" in data))) {
      this.badAcks.push(`CALLBACK ack without {response}: ${id}`);
      return;
    }
    if (f.type === "EVENT" && !["SUCCESS", "LATER"].includes(String((data as { status?: unknown }).status))) {
      this.badAcks.push(`EVENT ack without status: ${id}`);
      return;
    }
    if (f.acked) return;
    f.acked = true;
    f.response = f.type === "CALLBACK" ? (data as { response: unknown }).response : data;
    if (f.timer) clearTimeout(f.timer);
    for (const w of f.waiters.splice(0)) w(f.response);
  }

  /** Resolves with the frame's acknowledged answer, or undefined when none came within `ms`. */
  waitForAck(messageId: string, ms: number): Promise<unknown> {
    const f = this.frames.get(messageId);
    if (!f) return Promise.resolve(undefined);
    if (f.acked) return Promise.resolve(f.response);
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(undefined), ms);
      f.waiters.push((r) => {
        clearTimeout(t);
        resolve(r);
      });
    });
  }

  /** SYSTEM ping to every connection; resolves true when each echoed the opaque data. */
  ping(): Promise<boolean> {
    const conns = this.#connections.filter((c) => c.socket.readyState === c.socket.OPEN);
    return Promise.all(
      conns.map(
        (c) =>
          new Promise<boolean>((resolve) => {
            const opaque = randomUUID();
            const messageId = randomUUID();
            const onMessage = (raw: unknown) => {
              try {
                const a = JSON.parse(String(raw));
                if (a.headers?.messageId !== messageId) return;
                c.socket.off("message", onMessage);
                resolve(a.code === 200 && JSON.parse(a.data).opaque === opaque);
              } catch {
                /* other frames */
              }
            };
            c.socket.on("message", onMessage);
            c.socket.send(this.#frame("SYSTEM", "ping", messageId, { opaque }));
          }),
      ),
    ).then((all) => all.length > 0 && all.every(Boolean));
  }

  /** SYSTEM disconnect: delivery stops on these connections at once; they close a little later. */
  disconnect(reason = "server maintenance"): void {
    for (const c of this.#connections) {
      c.draining = true;
      c.socket.send(this.#frame("SYSTEM", "disconnect", randomUUID(), { reason }));
      const t = setTimeout(() => c.socket.close(1000, "disconnect"), this.#o.disconnectCloseAfterMs);
      t.unref();
    }
  }

  /** Drops every connection without a word (a network cut). */
  drop(): void {
    for (const c of [...this.#connections]) c.socket.terminate();
  }

  /** Sends text as-is to every connection (malformed frames, for the SDK's parser). */
  sendRaw(text: string): void {
    for (const c of this.#connections) c.socket.send(text);
  }

  close(): void {
    for (const f of this.frames.values()) if (f.timer) clearTimeout(f.timer);
    this.drop();
    this.#wss.close();
  }
}
