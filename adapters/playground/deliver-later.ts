import type { DeliveryOutcome } from "../../core/ports.ts";

/**
 * Runs a delivery to a playground platform off the outbox's path: the sandbox inbox has already taken the
 * items, so the local platform gets them a moment later, retried here (up to 10 tries) when it throttles.
 */
export function deliverLater(defaultDelayMs: number) {
  const timers = new Set<NodeJS.Timeout>();
  const later = (run: () => Promise<DeliveryOutcome>, afterMs = defaultDelayMs, attempt = 1): void => {
    const t = setTimeout(async () => {
      timers.delete(t);
      const outcome = await run().catch((e: Error): DeliveryOutcome => ({ ok: false, error: e.message }));
      if (!outcome.ok && !outcome.permanent && attempt < 10)
        later(run, Math.max(200, outcome.retryAfterMs ?? 1000), attempt + 1);
    }, afterMs);
    t.unref();
    timers.add(t);
  };
  const stop = (): void => {
    for (const t of timers) clearTimeout(t);
    timers.clear();
  };
  return { later, stop };
}
