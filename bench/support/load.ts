import autocannon from "autocannon";

/** A request body and its headers, ready to send (signed as the platform signs it). */
export interface Prepared {
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
}

export interface LoadFigures {
  readonly requests: number;
  /** Requests handed to the connections (answered, failed or cut off at the end). */
  readonly sent: number;
  /** From the first request sent to the last answer read. */
  readonly seconds: number;
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
  readonly non2xx: number;
  /** What the answers said, by the caller's classification (e.g. success / refused). */
  readonly outcomes: Readonly<Record<string, number>>;
  /** The caller's classification of each answered request, by its index in `requests` (first use). */
  readonly answered: ReadonlyMap<number, string>;
  readonly bytesPerAnswer: number;
}

export const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);

/**
 * Fires POSTs at `path` from `connections` connections for `seconds`, each request the next of `requests`
 * (wrapping round when they run out), and classifies each answer with `classify`.
 */
export async function fire(o: {
  readonly url: string;
  readonly path: string;
  readonly connections: number;
  readonly seconds?: number;
  readonly amount?: number;
  readonly requests: readonly Prepared[];
  readonly classify?: (status: number, body: string) => string;
}): Promise<LoadFigures> {
  let next = 0;
  const outcomes: Record<string, number> = {};
  const answered = new Map<number, string>();
  let bytes = 0;
  let answers = 0;
  // Timed here, first request out to last answer in: autocannon's own duration ends on its next 1-second
  // tick, so a run of a fixed amount read 1.02 s, 2.02 s or 5.01 s whatever it really took.
  let firstSentAt: number | undefined;
  let lastAnsweredAt = 0;
  const result = await autocannon({
    url: o.url,
    connections: o.connections,
    ...(o.amount ? { amount: o.amount } : { duration: o.seconds ?? DURATION_S }),
    timeout: 10,
    requests: [
      {
        method: "POST",
        path: o.path,
        // The connection's context remembers which request it sent, so an answer is matched to its request.
        setupRequest: (req, context: { sent?: number }) => {
          firstSentAt ??= performance.now();
          context.sent = next;
          const p = o.requests[next++ % o.requests.length]!;
          return { ...req, body: p.body, headers: { ...p.headers } };
        },
        onResponse: (status, body, context: { sent?: number }) => {
          lastAnsweredAt = performance.now();
          answers += 1;
          bytes += Buffer.byteLength(body);
          const kind = o.classify ? o.classify(status, body) : String(status);
          outcomes[kind] = (outcomes[kind] ?? 0) + 1;
          if (context.sent !== undefined && !answered.has(context.sent)) answered.set(context.sent, kind);
        },
      },
    ],
  });
  const requests = result["2xx"] + result.non2xx;
  const seconds =
    firstSentAt !== undefined && lastAnsweredAt > firstSentAt
      ? (lastAnsweredAt - firstSentAt) / 1000
      : result.duration;
  return {
    requests,
    sent: next,
    seconds,
    perSecond: requests / seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
    outcomes,
    answered,
    bytesPerAnswer: answers ? bytes / answers : 0,
  };
}
