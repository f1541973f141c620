import { DWClient, type DWClientDownStream } from "dingtalk-stream";
import type { Logger } from "pino";
import type WebSocket from "ws";
import { systemTimers, type Timers } from "../../core/timers.ts";
import { downstreamSchema } from "./wire.ts";

export interface GatewayOptions {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Where `/v1.0/gateway/connections/open` lives: https://api.dingtalk.com, or the local DingTalk. */
  readonly apiBase: string;
  readonly logger: Logger;
  readonly keepAlive?: boolean;
  readonly fetch?: typeof fetch;
}

/** What the SDK keeps TS-private but we must reach: the URL it connects to, the socket, the heartbeat. */
interface SdkInternals {
  dw_url?: string;
  socket?: WebSocket;
  heartbeatIntervallId?: ReturnType<typeof setInterval>;
}

/**
 * dingtalk-stream's DWClient, unchanged except where it cannot be configured:
 * - getEndpoint: the SDK posts to a fixed api.dingtalk.com URL; this one posts to `apiBase` (same body,
 *   same Accept header) so a local gateway works.
 * - subscriptions: the SDK's default array is one object shared by every client in the process, and
 *   registerCallbackListener pushes into it; each client here gets its own array.
 * - onDownStream: the SDK JSON-parses every frame and reads `headers.topic` without a guard, so one
 *   malformed frame throws inside the ws listener; such frames are logged and dropped here.
 * - autoReconnect is off: the SDK reconnects twice per failed handshake (from `connect`'s catch and from
 *   the socket's close), doubling on each failure, and `disconnect` does not stop it. GatewayConnection
 *   owns reconnecting instead.
 */
export class GatewayClient extends DWClient {
  readonly #o: GatewayOptions;
  /** Called when the gateway announces it will drop this connection (SYSTEM `disconnect`). */
  onGatewayDisconnect: (reason: string) => void = () => undefined;
  dropped = 0;

  constructor(o: GatewayOptions) {
    const config = {
      clientId: o.clientId,
      clientSecret: o.clientSecret,
      keepAlive: o.keepAlive ?? true,
      autoReconnect: false,
      ua: "closeloop",
      subscriptions: [{ type: "EVENT", topic: "*" }],
    };
    // The constructor's type omits autoReconnect and subscriptions, which the runtime honours.
    super(config as ConstructorParameters<typeof DWClient>[0]);
    this.#o = o;
  }

  get internals(): SdkInternals {
    return this as unknown as SdkInternals;
  }

  override async getEndpoint(): Promise<this> {
    const res = await (this.#o.fetch ?? fetch)(`${this.#o.apiBase}/v1.0/gateway/connections/open`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({
        clientId: this.config.clientId,
        clientSecret: this.config.clientSecret,
        ua: this.config.ua,
        subscriptions: this.config.subscriptions,
      }),
    });
    const body = (await res.json().catch(() => ({}))) as {
      endpoint?: string;
      ticket?: string;
      code?: string;
    };
    if (!res.ok || !body.endpoint || !body.ticket) {
      throw new Error(`gateway open refused: HTTP ${res.status} ${body.code ?? ""}`.trim());
    }
    this.internals.dw_url = `${body.endpoint}?ticket=${encodeURIComponent(body.ticket)}`;
    return this;
  }

  override onDownStream(data: string): void {
    const text = String(data);
    let frame: unknown;
    try {
      frame = JSON.parse(text);
    } catch {
      frame = undefined;
    }
    const parsed = downstreamSchema.safeParse(frame);
    if (!parsed.success) {
      this.dropped++;
      this.#o.logger.warn({ frame: text.slice(0, 200) }, "DingTalk stream: dropped a malformed frame");
      return;
    }
    try {
      super.onDownStream(text);
    } catch (err) {
      this.#o.logger.error({ err }, "DingTalk stream: a frame handler failed");
    }
  }

  override onSystem(downstream: DWClientDownStream): void {
    super.onSystem(downstream);
    if (downstream.headers.topic === "disconnect") {
      let reason = "";
      try {
        reason = String((JSON.parse(downstream.data) as { reason?: string }).reason ?? "");
      } catch {
        reason = "";
      }
      this.onGatewayDisconnect(reason);
    }
  }
}

export type ConnectionState = "idle" | "connecting" | "connected" | "reconnecting" | "stopped";

export interface ReconnectPolicy {
  readonly baseMs: number;
  readonly maxMs: number;
  /** Uniform in [0, 1): the jitter source. */
  readonly random?: () => number;
}

/**
 * One stream connection kept alive: a fresh ticket per connect, one reconnect timer at most (so a failed
 * handshake can never multiply into a storm), bounded exponential backoff with jitter, an immediate
 * reconnect on the gateway's `disconnect` notice, and one log line per state change.
 */
export class GatewayConnection {
  readonly client: GatewayClient;
  readonly #logger: Logger;
  readonly #timers: Timers;
  readonly #policy: ReconnectPolicy;
  #state: ConnectionState = "idle";
  #failures = 0;
  #timer: unknown;
  #socket?: WebSocket;
  #connecting?: Promise<void>;
  /** Connections made, for health and tests. */
  connects = 0;

  constructor(
    client: GatewayClient,
    logger: Logger,
    opts: { timers?: Timers; policy?: ReconnectPolicy } = {},
  ) {
    this.client = client;
    this.#logger = logger;
    this.#timers = opts.timers ?? systemTimers;
    this.#policy = opts.policy ?? { baseMs: 1000, maxMs: 60_000 };
    client.onGatewayDisconnect = (reason) => {
      this.#logger.info({ reason }, "DingTalk stream: gateway asked to reconnect");
      this.#reconnectNow();
    };
  }

  get state(): ConnectionState {
    return this.#state;
  }

  /** A reconnect is waiting on its timer. */
  get waiting(): boolean {
    return this.#timer !== undefined;
  }

  #set(state: ConnectionState, detail: Record<string, unknown> = {}): void {
    if (this.#state === state) return;
    this.#state = state;
    const line = {
      connecting: "DingTalk stream: connecting",
      connected: "DingTalk stream: connected",
      reconnecting: "DingTalk stream: connection lost; reconnecting",
      stopped: "DingTalk stream: stopped",
      idle: "DingTalk stream: idle",
    }[state];
    (state === "reconnecting" ? this.#logger.warn : this.#logger.info).call(this.#logger, detail, line);
  }

  #isStopped(): boolean {
    return this.#state === "stopped";
  }

  start(): Promise<void> {
    if (this.#state === "stopped") return Promise.resolve();
    return this.#attempt();
  }

  #attempt(): Promise<void> {
    this.#connecting ??= this.#connect().finally(() => {
      this.#connecting = undefined;
    });
    return this.#connecting;
  }

  async #connect(): Promise<void> {
    if (this.#state !== "reconnecting") this.#set("connecting");
    const c = this.client.internals;
    if (c.heartbeatIntervallId !== undefined) clearInterval(c.heartbeatIntervallId);
    try {
      await this.client.getEndpoint();
      if (this.#isStopped()) return;
      const previous = c.socket;
      await this.client._connect();
      const socket = c.socket;
      if (!socket) throw new Error("no socket after connect");
      if (this.#isStopped()) {
        socket.close();
        return;
      }
      this.#socket = socket;
      socket.on("close", () => this.#closed(socket));
      if (previous && previous !== socket) previous.close();
      this.#failures = 0;
      this.connects++;
      this.#set("connected");
    } catch (err) {
      if (this.#isStopped()) return;
      this.#failures++;
      this.#set("reconnecting", { err: (err as Error).message });
      this.#schedule();
    }
  }

  #closed(socket: WebSocket): void {
    if (socket !== this.#socket || this.#state === "stopped") return;
    this.#socket = undefined;
    this.#set("reconnecting");
    this.#failures++;
    this.#schedule();
  }

  #reconnectNow(): void {
    if (this.#state === "stopped") return;
    this.#cancelTimer();
    // The old socket stays open until the new one is up (the gateway closes it ~10 s later anyway).
    this.#socket = undefined;
    this.#set("reconnecting");
    void this.#attempt();
  }

  /** The delay before reconnect attempt n: base·2^(n-1), capped, with half of it jittered. */
  delayMs(failures: number): number {
    const { baseMs, maxMs } = this.#policy;
    const raw = Math.min(maxMs, baseMs * 2 ** Math.max(0, failures - 1));
    return Math.round(raw / 2 + (raw / 2) * (this.#policy.random ?? Math.random)());
  }

  #schedule(): void {
    if (this.#timer !== undefined || this.#state === "stopped") return;
    this.#timer = this.#timers.setTimeout(() => {
      this.#timer = undefined;
      void this.#attempt();
    }, this.delayMs(this.#failures));
  }

  #cancelTimer(): void {
    if (this.#timer === undefined) return;
    this.#timers.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  async stop(): Promise<void> {
    this.#set("stopped");
    this.#cancelTimer();
    await this.#connecting?.catch(() => undefined);
    this.#socket = undefined;
    // Not the SDK's disconnect(): it prints to stdout even when nothing was connected (autoReconnect is
    // off, so its userDisconnect flag has nothing to stop).
    const c = this.client.internals;
    if (c.heartbeatIntervallId !== undefined) clearInterval(c.heartbeatIntervallId);
    c.socket?.close();
    c.socket = undefined;
    this.client.connected = false;
  }
}
