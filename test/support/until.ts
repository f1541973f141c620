/** Reads `get` until `ok` holds (or 200 reads, 25 ms apart) and returns the last reading. */
export async function until<T>(get: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  let v = await get();
  for (let i = 0; i < 200 && !ok(v); i++) {
    await new Promise((r) => setTimeout(r, 25));
    v = await get();
  }
  return v;
}
