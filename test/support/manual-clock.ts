import type { Clock } from "../../core/ports.ts";

/** A clock that moves only when a test moves it. */
export class ManualClock implements Clock {
  #now: number;
  constructor(start: string | number) {
    this.#now = typeof start === "string" ? Date.parse(start) : start;
  }
  now(): Date {
    return new Date(this.#now);
  }
  set(at: string | number): void {
    this.#now = typeof at === "string" ? Date.parse(at) : at;
  }
  advance(ms: number): void {
    this.#now += ms;
  }
}
