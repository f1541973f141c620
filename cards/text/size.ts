/**
 * Bytes of a text in UTF-8, counted without encoding it (cards are measured on every render). A lone
 * surrogate counts 3, as the encoder writes U+FFFD for it.
 */
export function bytes(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 2;
      i++;
    } else n += 2;
  }
  return n;
}

/**
 * Whether a text fits `limit` bytes of UTF-8. A UTF-16 unit takes 1 to 3 bytes, so the length alone decides
 * most texts; only those in between are counted.
 */
export function fitsBytes(text: string, limit: number): boolean {
  if (text.length > limit) return false;
  return text.length * 3 <= limit || bytes(text) <= limit;
}

/** Bytes of a value as JSON in UTF-8: what the platforms' size caps count (UTF-8 is the larger for CJK). */
export const jsonBytes = (value: unknown): number => bytes(JSON.stringify(value));

export const KB = 1024;
