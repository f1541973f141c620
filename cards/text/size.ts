const encoder = new TextEncoder();

/** Bytes of a text in UTF-8. */
export const bytes = (text: string): number => encoder.encode(text).length;

/** Bytes of a value as JSON in UTF-8: what the platforms' size caps count (UTF-8 is the larger for CJK). */
export const jsonBytes = (value: unknown): number => bytes(JSON.stringify(value));

export const KB = 1024;
