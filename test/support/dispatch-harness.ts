import { afterEach, beforeEach, vi } from "vitest";
import { OutboxDispatcher, type OutboxPort } from "../../core/notify/dispatcher.ts";
import type { OutboxDispatcherOptions } from "../../core/notify/dispatcher-options.ts";
import type { Clock, NotificationSink } from "../../core/ports.ts";
import type { Timers } from "../../core/timers.ts";
import { FakeSink } from "./fake-sink.ts";
import { MemoryOutbox } from "./memory-outbox.ts";

/** Dispatcher tests run on vitest's fake timers: the clock and the timers both follow them. */
export const T0 = Date.parse("2025-03-03T01:00:00.000Z");
export const clock: Clock = { now: () => new Date() };
export const timers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as never),
};
export const iso = (ms: number) => new Date(ms).toISOString();
export const advance = (ms: number) => vi.advanceTimersByTimeAsync(ms);
export const advanceTo = (ms: number) => vi.advanceTimersByTimeAsync(ms - Date.now());

/** Installs fake timers at T0 around every test of the calling file. */
export function useFakeTime(): void {
  beforeEach(() => {
    vi.useFakeTimers({ now: T0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });
}

/** An in-memory outbox, a scripted sink, and dispatchers over them (jitter fixed at the middle). */
export function setup(options: OutboxDispatcherOptions = {}) {
  const outbox = new MemoryOutbox(clock);
  const sink = new FakeSink(clock);
  const make = (store: OutboxPort = outbox, via: NotificationSink = sink) =>
    new OutboxDispatcher({ store, sink: via, clock, timers, options: { random: () => 0.5, ...options } });
  return { outbox, sink, dispatcher: make(), make };
}
