import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findPhones } from "../../../core/privacy/detect.ts";

/**
 * Phone numbers the security tests type anywhere (chat, API, board, forms), as digits. The scan looks for
 * each of them written with any separators, besides every phone form core itself recognises.
 */
export const KNOWN_PHONES = [
  "13800138000",
  "13812345678",
  "13912345678",
  "13700001111",
  "15012345678",
  "18611112222",
  "02112345678",
  "447700900123",
] as const;

// Invisible characters someone could hide between digits, and full-width digits.
const INVISIBLE = /[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]/g;
const normalise = (s: string) => s.normalize("NFKC").replace(INVISIBLE, "");
const KNOWN_PATTERNS = KNOWN_PHONES.map(
  (p) => new RegExp(`(?<!\\d)${[...p].join("[\\s\\-.\\u00a0()/]*")}(?!\\d)`, "g"),
);

/** Raw phone numbers in a text (and in every JSON text nested inside it): empty when it is clean. */
export function rawPhones(text: string): string[] {
  const found = new Set<string>();
  const visit = (s: string, depth: number) => {
    const n = normalise(s);
    for (const p of findPhones(n)) found.add(p);
    for (const re of KNOWN_PATTERNS) for (const m of n.matchAll(re)) found.add(m[0]);
    if (depth > 3) return;
    const t = s.trim();
    if ((t.startsWith("{") || t.startsWith("[") || t.startsWith('"')) && t.length > 1) {
      try {
        walk(JSON.parse(t), (inner) => visit(inner, depth + 1));
      } catch {
        // not JSON: scanned as text above
      }
    }
  };
  visit(text, 0);
  return [...found];
}

function walk(value: unknown, onString: (s: string) => void): void {
  if (typeof value === "string") onString(value);
  else if (Array.isArray(value)) for (const v of value) walk(v, onString);
  else if (value && typeof value === "object")
    for (const [k, v] of Object.entries(value)) {
      onString(k);
      walk(v, onString);
    }
}

export type ArtifactKind = "card" | "message" | "board" | "api" | "export" | "log";

/** The answer to an allowed reveal-contact: the one place a contact is shown in clear (and audited). */
export const REVEALED = "reveal";

/**
 * Everything people or operators would see during a security test file: cards and messages the emulators
 * received, board pages and API answers, exports and log lines. Scanned for raw phone numbers at the end.
 */
export class Ledger {
  readonly #recorded: { kind: ArtifactKind; source: string; text: string }[] = [];
  readonly #live: { kind: ArtifactKind; source: string; read: () => Iterable<string> }[] = [];
  /** Answers to allowed reveals, counted and left out of the scan. */
  revealed = 0;

  record(kind: ArtifactKind | typeof REVEALED, source: string, text: string): void {
    if (kind === REVEALED) this.revealed++;
    else this.#recorded.push({ kind, source, text });
  }

  /** A source read at scan time (a log array, an emulator's messages). */
  watch(kind: ArtifactKind, source: string, read: () => Iterable<string>): void {
    this.#live.push({ kind, source, read });
  }

  scan(): {
    counts: Record<ArtifactKind, number>;
    leaks: { kind: string; source: string; phone: string; excerpt: string }[];
  } {
    const counts: Record<ArtifactKind, number> = { card: 0, message: 0, board: 0, api: 0, export: 0, log: 0 };
    const leaks: { kind: string; source: string; phone: string; excerpt: string }[] = [];
    const check = (kind: ArtifactKind, source: string, text: string) => {
      counts[kind]++;
      for (const phone of rawPhones(text)) {
        const at = normalise(text).indexOf(phone);
        leaks.push({ kind, source, phone, excerpt: normalise(text).slice(Math.max(0, at - 60), at + 60) });
      }
    };
    for (const r of this.#recorded) check(r.kind, r.source, r.text);
    for (const l of this.#live) for (const text of l.read()) check(l.kind, l.source, text);
    return { counts, leaks };
  }
}

/** Per-category counts a test file reports: cases tried, refused, and written (writes by refused cases). */
export interface Tally {
  tried: number;
  refused: number;
  allowed: number;
  /** Store writes made by cases that were refused: must stay 0. */
  written: number;
}

const tallies = new Map<string, Tally>();

export function tally(category: string): Tally {
  let t = tallies.get(category);
  if (!t) {
    t = { tried: 0, refused: 0, allowed: 0, written: 0 };
    tallies.set(category, t);
  }
  return t;
}

/** Writes this file's counts beside the others (one JSON per file) and prints them in one line each. */
export function flushTallies(file: string, extra: Record<string, unknown> = {}): void {
  const dir = process.env.CLOSELOOP_SECURITY_REPORT ?? join(tmpdir(), "closeloop-security-report");
  mkdirSync(dir, { recursive: true });
  const body = { file, tallies: Object.fromEntries(tallies), ...extra };
  writeFileSync(join(dir, `${file}.json`), `${JSON.stringify(body, null, 2)}\n`);
  for (const [k, t] of tallies)
    console.log(
      `[security] ${file} ${k}: tried ${t.tried}, refused ${t.refused}, allowed ${t.allowed}, written-by-refused ${t.written}`,
    );
  if (Object.keys(extra).length) console.log(`[security] ${file} ${JSON.stringify(extra)}`);
}

/** fast-check runs per property: small in CI (40), more with CLOSELOOP_FUZZ_RUNS. */
export const FUZZ_RUNS = Math.max(1, Number(process.env.CLOSELOOP_FUZZ_RUNS ?? "") || 40);
