import type { Clock, DeliveryOutcome, NotificationSink, OutboxItem, TicketStore } from "../ports.ts";
import { systemTimers, type Timers } from "../timers.ts";
import { type BackoffPolicy, retryDelayMs } from "./backoff.ts";
import { DigestWindows } from "./digest.ts";
import { type DigestClaim, DigestClaims } from "./digest-claims.ts";
import { byCreation, type Lane, LaneBlockers, laneId, toLanes } from "./dispatcher-lanes.ts";
import {
  type OutboxDispatcherOptions,
  type ResolvedDispatcherOptions,
  resolveDispatcherOptions,
} from "./dispatcher-options.ts";

/**
 * With claimOutbox (a store several instances share), each instance delivers only the rows it holds. With the
 * doc methods, a digest is written down before it is sent (see digest-claims.ts).
 */
export type OutboxPort = Pick<TicketStore, "dueOutbox" | "settleOutbox" | "onChange" | "claimOutbox"> &
  Partial<Pick<TicketStore, "putDoc" | "deleteDoc" | "listDocs">>;

export interface OutboxDispatcherDeps {
  readonly store: OutboxPort;
  readonly sink: NotificationSink;
  readonly clock: Clock;
  readonly timers?: Timers;
  readonly options?: OutboxDispatcherOptions;
}

/** Rows per outcome of one run: handed to the sink and settled, settled for a retry, left due on purpose. */
export interface DispatchResult {
  readonly delivered: number;
  readonly retried: number;
  readonly held: number;
}

const FAR_FUTURE = "9999-12-31T23:59:59.999Z";
/** A timed-out call still unsettled after this many delivery timeouts is given up on (its rows go again). */
const IN_FLIGHT_LIMIT = 10;

interface Send {
  readonly lane: Lane;
  readonly items: readonly OutboxItem[];
  /** A digest written down before it went (or that went before and is sent again, as it was). */
  claim?: DigestClaim;
}

class RunTally {
  delivered = 0;
  retried = 0;
  held = 0;
  wakeAt: number | undefined;
  readonly errors: unknown[] = [];

  wake(at: number): void {
    if (this.wakeAt === undefined || at < this.wakeAt) this.wakeAt = at;
  }
}

/**
 * Delivers outbox rows through the sink and settles each one. At-least-once towards the sink, with the row's
 * key as the platform's idempotency key, so a crash between delivering and settling shows nothing twice: the
 * row is still undelivered and goes again with the same key. Per recipient and lane (see dispatcher-lanes.ts)
 * rows go in creation order; a failed row holds the rows behind it, never another recipient's.
 */
export class OutboxDispatcher {
  readonly #store: OutboxPort;
  readonly #sink: NotificationSink;
  readonly #clock: Clock;
  readonly #timers: Timers;
  readonly #o: ResolvedDispatcherOptions;
  readonly #policy: BackoffPolicy;
  readonly #digestKinds: ReadonlySet<string>;
  readonly #windows: DigestWindows;
  readonly #blockers = new LaneBlockers();
  /** Rows the sink took whose settle failed, with their delivery time: settled next run, not sent again. */
  readonly #unsettled = new Map<string, string>();
  /**
   * Keys of rows whose sink call timed out but has not settled: the platform may still do it (a slow answer
   * is not a refusal), so the rows are not handed over again until it settles. Sent again meanwhile, they
   * would show twice on a platform with no idempotency key (Teams, DingTalk's session webhooks, buzzes).
   */
  readonly #inFlight = new Set<string>();
  readonly #claims: DigestClaims | undefined;
  #recovered = false;
  #heldLastRun = 0;
  #lastRun = { full: false, progressed: false, wakeAt: undefined as number | undefined };
  #tail: Promise<unknown> = Promise.resolve();

  #started = false;
  #unsubscribe: (() => void) | undefined;
  #timer: { handle: unknown } | undefined;
  #loop: Promise<void> | undefined;
  #again = false;

  constructor(deps: OutboxDispatcherDeps) {
    this.#store = deps.store;
    this.#sink = deps.sink;
    this.#clock = deps.clock;
    this.#timers = deps.timers ?? systemTimers;
    this.#o = resolveDispatcherOptions(deps.options);
    this.#policy = { baseMs: this.#o.baseBackoffMs, maxMs: this.#o.maxBackoffMs, random: this.#o.random };
    this.#digestKinds = new Set(this.#o.digestKinds);
    this.#windows = new DigestWindows(this.#o.digestWindowMs);
    const s = deps.store;
    this.#claims =
      s.putDoc && s.deleteDoc && s.listDocs
        ? new DigestClaims({
            putDoc: s.putDoc.bind(s),
            deleteDoc: s.deleteDoc.bind(s),
            listDocs: s.listDocs.bind(s),
          })
        : undefined;
  }

  /**
   * One pass over the due rows. Runs never overlap: a call made during a run starts after it. Rejects when
   * the outbox cannot be read, or (after finishing every recipient) when some settle failed; those rows
   * stay due and the next run settles them without calling the sink again.
   */
  runOnce(): Promise<DispatchResult> {
    const run = this.#tail.then(() => this.#run());
    this.#tail = run.catch(() => undefined);
    return run;
  }

  /** Runs at once, whenever the store changes, and at least every pollMs (sooner when a hold or retry ends). */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#unsubscribe = this.#store.onChange(() => this.#kick());
    this.#kick();
  }

  /** Stops the loop and waits for a run in flight. */
  async stop(): Promise<void> {
    this.#started = false;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#disarm();
    await this.#loop;
    await this.#tail;
  }

  #kick(): void {
    if (!this.#started) return;
    if (this.#loop) {
      this.#again = true;
      return;
    }
    this.#disarm();
    this.#again = false;
    this.#loop = this.runOnce()
      .then(
        () => true,
        (error: unknown) => {
          this.#o.onError(error);
          return false;
        },
      )
      .then((ok) => {
        this.#loop = undefined;
        if (!this.#started) return;
        // A full batch that moved rows may have more behind it; one that moved nothing waits for the timer.
        if (this.#again || (ok && this.#lastRun.full && this.#lastRun.progressed)) this.#kick();
        else this.#arm();
      });
  }

  #arm(): void {
    const now = this.#now();
    const wakeAt = Math.min(now + this.#o.pollMs, this.#lastRun.wakeAt ?? Number.POSITIVE_INFINITY);
    const timer: { handle: unknown } = { handle: undefined };
    timer.handle = this.#timers.setTimeout(
      () => {
        if (this.#timer === timer) this.#timer = undefined;
        this.#kick();
      },
      Math.max(0, wakeAt - now),
    );
    this.#timer = timer;
  }

  #disarm(): void {
    if (this.#timer) this.#timers.clearTimeout(this.#timer.handle);
    this.#timer = undefined;
  }

  async #run(): Promise<DispatchResult> {
    const now = this.#now();
    if (!this.#recovered) {
      await this.#recover();
      this.#recovered = true;
    }
    const limit = this.#o.batch + this.#heldLastRun;
    const at = new Date(now).toISOString();
    const due = this.#store.claimOutbox
      ? await this.#store.claimOutbox(at, limit)
      : await this.#store.dueOutbox(at, limit);
    const tally = new RunTally();

    const fresh: OutboxItem[] = [];
    for (const row of due) {
      const deliveredAt = this.#unsettled.get(row.key);
      if (deliveredAt === undefined) fresh.push(row);
      else await this.#settleDelivered(row.key, deliveredAt, tally);
    }
    if (due.length < limit) this.#forgetAbsent(now, new Set(due.map((r) => r.key)));
    this.#windows.prune(now);

    const byRecipient = new Map<string, Lane[]>();
    for (const lane of toLanes(fresh, (kind) => this.#digestKinds.has(kind))) {
      const lanes = byRecipient.get(lane.recipient);
      if (lanes) lanes.push(lane);
      else byRecipient.set(lane.recipient, [lane]);
    }
    // Each way out (a platform, the webhooks) has its own slots: a paced or failing one never starves the rest.
    const groups = new Map<string, Lane[][]>();
    for (const lanes of byRecipient.values()) {
      const rows = lanes.flatMap((l) => l.rows);
      const group = this.#sink.groupOf?.(lanes[0]!.recipient, rows) ?? "";
      const list = groups.get(group);
      if (list) list.push(lanes);
      else groups.set(group, [lanes]);
    }
    await Promise.all(
      [...groups.values()].map((recipients) =>
        eachLimited(recipients, this.#o.concurrency, (lanes) => this.#deliverTo(lanes, tally)),
      ),
    );

    const after = this.#now();
    const retry = this.#blockers.nextRetryAfter(after);
    if (retry !== undefined) tally.wake(retry);
    this.#heldLastRun = tally.held;
    this.#lastRun = {
      full: due.length >= limit,
      progressed: tally.delivered + tally.retried > 0,
      wakeAt: tally.wakeAt,
    };
    if (tally.errors.length > 0) {
      throw new AggregateError(
        tally.errors,
        `outbox: ${tally.errors.length} settle(s) failed; those rows stay due`,
      );
    }
    return { delivered: tally.delivered, retried: tally.retried, held: tally.held };
  }

  /**
   * A fresh dispatcher (say, after a crash) learns which lanes wait behind a failed row from the store: any
   * undelivered row already attempted. Its retry time no longer matches its creation order, so rows held
   * behind it in the previous process's memory could otherwise overtake it, whether it is due yet or only
   * fell outside the first batch read.
   */
  async #recover(): Promise<void> {
    await this.#claims?.load();
    if (this.#o.recoveryLimit === 0) return;
    const rows = await this.#store.dueOutbox(FAR_FUTURE, this.#o.recoveryLimit);
    for (const row of rows) {
      if (row.attempts === 0 || row.deliveredAt !== undefined) continue;
      const id = laneId(row.recipient, this.#digestKinds.has(row.kind) ? "digest" : "direct");
      this.#blockers.block(id, row, Date.parse(row.nextAttemptAt));
    }
  }

  /** After a read that returned every due row, memory about rows that are no longer due is stale. */
  #forgetAbsent(now: number, dueKeys: ReadonlySet<string>): void {
    this.#blockers.sweep(now, dueKeys);
    for (const key of this.#unsettled.keys()) if (!dueKeys.has(key)) this.#unsettled.delete(key);
  }

  async #deliverTo(lanes: readonly Lane[], tally: RunTally): Promise<void> {
    const now = this.#now();
    const sends: Send[] = [];
    for (const lane of lanes) {
      const { ready, held } = this.#blockers.split(lane, now);
      tally.held += held.length;
      if (ready.length === 0) continue;
      if (lane.name === "direct") {
        for (const row of ready) sends.push({ lane, items: [row] });
        continue;
      }
      const claim = this.#claims?.of(ready);
      if (claim) {
        // Went before (the server died before settling it all): again exactly as it went, the rest after it.
        sends.push({ lane, items: claim.items, claim });
        const inIt = new Set(claim.items.map((i) => i.key));
        tally.held += ready.filter((r) => !inIt.has(r.key)).length;
        continue;
      }
      const closesAt = this.#windows.closesAt(lane.recipient, now);
      if (closesAt === undefined) sends.push({ lane, items: ready });
      else {
        // Held, not settled: the rows stay due and go out together when the window closes.
        tally.held += ready.length;
        tally.wake(closesAt);
      }
    }
    sends.sort((a, b) => byCreation(a.items[0]!, b.items[0]!));

    const stopped = new Set<string>();
    for (const send of sends) {
      if (stopped.has(send.lane.id)) {
        tally.held += send.items.length;
        continue;
      }
      if (send.items.some((row) => this.#inFlight.has(row.key))) {
        // Its earlier call may still land; the lane waits for it (the settle kicks the loop).
        tally.held += send.items.length;
        stopped.add(send.lane.id);
        continue;
      }
      if (this.#claims && !send.claim && send.items.length > 1) {
        try {
          send.claim = await this.#claims.write(send.items);
        } catch (error) {
          tally.errors.push(error);
          tally.held += send.items.length;
          stopped.add(send.lane.id);
          continue;
        }
      }
      const outcome = await this.#attempt(send.lane.recipient, send.items);
      if (outcome.ok) await this.#delivered(send, tally);
      else {
        await this.#failed(send, outcome, tally);
        stopped.add(send.lane.id);
      }
    }
  }

  async #attempt(recipient: string, items: readonly OutboxItem[]): Promise<DeliveryOutcome> {
    const ms = this.#o.deliveryTimeoutMs;
    let handle: unknown;
    const noAnswer: DeliveryOutcome = { ok: false, error: `no answer within ${ms} ms` };
    const timedOut = new Promise<DeliveryOutcome>((resolve) => {
      handle = this.#timers.setTimeout(() => resolve(noAnswer), ms);
    });
    const call = Promise.resolve()
      .then(() => this.#sink.deliver(recipient, items))
      .then((outcome): DeliveryOutcome => outcome ?? { ok: false, error: "the sink gave no outcome" })
      .catch((error: unknown): DeliveryOutcome => ({ ok: false, error: describe(error) }));
    let outcome: DeliveryOutcome;
    try {
      outcome = await Promise.race([call, timedOut]);
    } finally {
      this.#timers.clearTimeout(handle);
    }
    if (outcome === noAnswer) this.#awaitLate(recipient, items, call);
    return outcome;
  }

  /** Holds the rows of a timed-out call until it settles; if it did deliver them after all, they are settled. */
  #awaitLate(recipient: string, items: readonly OutboxItem[], call: Promise<DeliveryOutcome>): void {
    const keys = items.map((row) => row.key);
    for (const key of keys) this.#inFlight.add(key);
    let done = false;
    const release = () => {
      if (done) return;
      done = true;
      for (const key of keys) this.#inFlight.delete(key);
      this.#kick();
    };
    const limit = this.#timers.setTimeout(release, this.#o.deliveryTimeoutMs * IN_FLIGHT_LIMIT);
    void call.then(async (late) => {
      this.#timers.clearTimeout(limit);
      if (!done && late.ok) {
        const at = new Date(this.#now()).toISOString();
        const lane = laneId(recipient, this.#digestKinds.has(items[0]!.kind) ? "digest" : "direct");
        this.#blockers.release(lane, items);
        // Settled now, while no run may send them: a row retried later in the store is not due yet.
        for (const key of keys) {
          try {
            await this.#store.settleOutbox(key, { deliveredAt: at });
          } catch {
            this.#unsettled.set(key, at);
          }
        }
      }
      release();
    });
  }

  async #delivered(send: Send, tally: RunTally): Promise<void> {
    const at = this.#now();
    if (send.lane.name === "digest") this.#windows.delivered(send.lane.recipient, at);
    this.#blockers.release(send.lane.id, send.items);
    const deliveredAt = new Date(at).toISOString();
    const errors = tally.errors.length;
    for (const row of send.items) {
      this.#unsettled.set(row.key, deliveredAt);
      await this.#settleDelivered(row.key, deliveredAt, tally);
    }
    // Finished only once every row is settled; until then it would go again as it went.
    if (send.claim && tally.errors.length === errors) {
      try {
        await this.#claims!.done(send.claim);
      } catch (error) {
        tally.errors.push(error);
      }
    }
  }

  async #settleDelivered(key: string, deliveredAt: string, tally: RunTally): Promise<void> {
    tally.delivered += 1;
    try {
      await this.#store.settleOutbox(key, { deliveredAt });
      this.#unsettled.delete(key);
    } catch (error) {
      tally.errors.push(error);
    }
  }

  async #failed(send: Send, outcome: DeliveryOutcome & { ok: false }, tally: RunTally): Promise<void> {
    const at = this.#now();
    const attempt = Math.max(...send.items.map((r) => r.attempts)) + 1;
    const retryAt = at + retryDelayMs(attempt, outcome, this.#policy);
    const error = outcome.permanent ? `permanent: ${outcome.error}` : outcome.error;
    // Blocked in memory first: if a settle fails, the row stays due but still waits its turn.
    for (const row of send.items) this.#blockers.block(send.lane.id, row, retryAt);
    tally.wake(retryAt);
    const retryAtIso = new Date(retryAt).toISOString();
    for (const row of send.items) {
      tally.retried += 1;
      try {
        await this.#store.settleOutbox(row.key, { retryAt: retryAtIso, error });
      } catch (e) {
        tally.errors.push(e);
      }
    }
  }

  #now(): number {
    return this.#clock.now().getTime();
  }
}

async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message || error.name : String(error);
}
