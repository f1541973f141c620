import type { Clock, TicketStore } from "../ports.ts";
import { systemTimers, type Timers } from "../timers.ts";

export interface SchedulerOptions {
  /** With claimDueTickets (a store several instances share), each sweep takes only tickets it holds. */
  readonly store: Pick<TicketStore, "dueTickets" | "claimDueTickets" | "nextDueAt" | "onChange">;
  /** Fires the due stages of one ticket (the ticket service's fireDueStages). */
  readonly fire: (number: string) => Promise<number>;
  readonly clock: Clock;
  readonly timers?: Timers;
  readonly batch?: number;
  /** Wake at least this often, whatever the index says (guards against a wall clock that jumps). */
  readonly maxSleepMs?: number;
  /**
   * After a sweep that fired nothing while a stage is already due (another instance holds it, or firing
   * failed), wait this long before looking again instead of spinning. Default 1000.
   */
  readonly idleRetryMs?: number;
  readonly onError?: (err: unknown, number?: string) => void;
}

/**
 * The SLA clock: sleeps until the earliest due stage, then sweeps only what is due. Its cost follows the
 * number of due items, never the number of tickets. One sweep runs at a time; a wake during a sweep
 * runs another right after.
 */
export class SlaScheduler {
  readonly #o: Required<Omit<SchedulerOptions, "onError">> & Pick<SchedulerOptions, "onError">;
  #timer: unknown;
  #armedFor: number | undefined;
  #running: Promise<number> | undefined;
  #again = false;
  #stopped = true;
  #unsubscribe: (() => void) | undefined;
  #lastFired = 0;

  constructor(opts: SchedulerOptions) {
    this.#o = { timers: systemTimers, batch: 200, maxSleepMs: 60_000, idleRetryMs: 1000, ...opts };
  }

  /** Fires everything due now; returns how many stages fired. */
  async sweep(): Promise<number> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = this.#sweepAll();
    try {
      this.#lastFired = await this.#running;
      return this.#lastFired;
    } catch (err) {
      this.#lastFired = 0;
      throw err;
    } finally {
      this.#running = undefined;
      if (this.#again) {
        this.#again = false;
        void this.sweep();
      } else {
        await this.#arm();
      }
    }
  }

  async #sweepAll(): Promise<number> {
    let fired = 0;
    const seen = new Set<string>();
    for (;;) {
      const now = this.#o.clock.now().toISOString();
      const { store } = this.#o;
      const found = store.claimDueTickets
        ? await store.claimDueTickets(now, this.#o.batch)
        : await store.dueTickets(now, this.#o.batch);
      const due = found.filter((r) => !seen.has(r.state.number));
      if (due.length === 0) return fired;
      for (const record of due) {
        seen.add(record.state.number);
        try {
          fired += await this.#o.fire(record.state.number);
        } catch (err) {
          this.#o.onError?.(err, record.state.number);
        }
      }
    }
  }

  async #arm(): Promise<void> {
    if (this.#stopped) return;
    const next = await this.#o.store.nextDueAt();
    const now = this.#o.clock.now().getTime();
    let at = Math.min(next ? Date.parse(next) : Number.POSITIVE_INFINITY, now + this.#o.maxSleepMs);
    if (at <= now && this.#lastFired === 0) at = now + this.#o.idleRetryMs;
    this.#setTimer(at);
  }

  #setTimer(at: number): void {
    if (this.#timer !== undefined) this.#o.timers.clearTimeout(this.#timer);
    this.#armedFor = at;
    this.#timer = this.#o.timers.setTimeout(
      () => {
        this.#timer = undefined;
        this.sweep().catch((err) => this.#o.onError?.(err));
      },
      Math.max(0, at - this.#o.clock.now().getTime()),
    );
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    // A write that brings a stage closer than the one we sleep for re-arms the timer.
    this.#unsubscribe = this.#o.store.onChange((changed) => {
      if (this.#stopped) return;
      for (const r of changed) {
        const next = r.state.nextDueAt ? Date.parse(r.state.nextDueAt) : undefined;
        if (next !== undefined && (this.#armedFor === undefined || next < this.#armedFor))
          this.#setTimer(next);
      }
    });
    void this.sweep();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#unsubscribe?.();
    if (this.#timer !== undefined) this.#o.timers.clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }
}
