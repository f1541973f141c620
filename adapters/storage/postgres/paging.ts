import { validationError } from "../../../core/errors.ts";

/** The most tickets one page holds, whatever the caller asks for. */
export const MAX_PAGE = 200;

export const pageLimit = (limit: number): number => Math.min(MAX_PAGE, Math.max(1, Math.floor(limit) || 1));

/** Where a page ended: newest first by createdAt, then number. */
export interface Position {
  readonly at: number;
  readonly number: string;
}

export const encodeCursor = (p: Position): string =>
  Buffer.from(JSON.stringify([p.at, p.number])).toString("base64url");

export function decodeCursor(cursor: string): Position {
  try {
    const [at, number] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown[];
    if (typeof at === "number" && Number.isFinite(at) && typeof number === "string") return { at, number };
  } catch {
    // fall through
  }
  // The caller's input, not a fault of the store: a 400 naming the field, never a 500.
  throw validationError([
    { field: "query.cursor", message: "invalid list cursor (use nextCursor as given)" },
  ]);
}
