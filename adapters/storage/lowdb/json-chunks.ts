const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

/**
 * JSON.stringify in pieces: containers down to `depth` levels are opened here, anything deeper is one
 * JSON.stringify. Joined, the pieces equal JSON.stringify(value) for plain data.
 */
export function* jsonChunks(value: unknown, depth: number): Generator<string> {
  if (depth <= 0 || !(Array.isArray(value) || isPlainObject(value))) {
    yield JSON.stringify(value) ?? "null";
    return;
  }
  if (Array.isArray(value)) {
    yield "[";
    for (let i = 0; i < value.length; i++) {
      if (i > 0) yield ",";
      const item = value[i];
      if (item === undefined || typeof item === "function") yield "null";
      else yield* jsonChunks(item, depth - 1);
    }
    yield "]";
    return;
  }
  yield "{";
  let first = true;
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined || typeof item === "function") continue;
    yield `${first ? "" : ","}${JSON.stringify(key)}:`;
    first = false;
    yield* jsonChunks(item, depth - 1);
  }
  yield "}";
}
