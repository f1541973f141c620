import type { Clock } from "../ports.ts";
import { systemTimers, type Timers } from "../timers.ts";
import { nextSlot, type WeeklySlot } from "./week.ts";

export interface ReviewSchedulerOptions {
  /** Queues what the latest slot owes (WeeklyReviews.sendDue). Safe to call any number of times. */
  readonly sendDue: () => Promise<number>;
  readonly slot: WeeklySlot;
  readonly timeZone: string;
  readonly clock: Clock;
  readonly timers?: Timers;
  /** Wake at least this often (a wall clock that jumps, a failed run to retry). Default one hour. */
  readonly maxSleepMs?: number;
  readonly onError?: (err: unknown) => void;
}

/**
 * Wakes at each weekly slot (and once at start, to catch up on a slot missed while down) and asks for the
 * reviews it owes. It holds no state worth keeping: whether a review went out is in the store.
 */
export class WeeklyReviewScheduler {
  readonly #o: ReviewSchedulerOptions & { timers: Timers; maxSleepMs: number };
  #timer: unknown;
  #running: Promise<number> | undefined;
  #stopped = true;

  constructor(opts: ReviewSchedulerOptions) {
    this.#o = { timers: systemTimers, maxSleepMs: 3_600_000, ...opts };
  }

  /** One pass: queues what is owed now. Concurrent calls share the pass in flight. */
  runOnce(): Promise<number> {
    this.#running ??= this.#o.sendDue().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  #arm(): void {
    if (this.#stopped) return;
    const now = this.#o.clock.now().getTime();
    const next = nextSlot(new Date(now), this.#o.slot, this.#o.timeZone).getTime();
    this.#timer = this.#o.timers.setTimeout(
      () => {
        this.#timer = undefined;
        this.runOnce()
          .catch((err) => this.#o.onError?.(err))
          .finally(() => this.#arm());
      },
      Math.max(0, Math.min(next - now, this.#o.maxSleepMs)),
    );
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.runOnce()
      .catch((err) => this.#o.onError?.(err))
      .finally(() => this.#arm());
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== undefined) this.#o.timers.clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#running?.catch(() => undefined);
  }
}
