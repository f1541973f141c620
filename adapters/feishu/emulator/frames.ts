/**
 * The long-connection frame (proto2 `pbbp2.Frame`), encoded and decoded by hand: fields 1-4 varints,
 * 5 repeated Header{1 key, 2 value}, 6 payloadEncoding, 7 payloadType, 8 payload bytes, 9 LogIDNew.
 */
export interface FrameHeader {
  readonly key: string;
  readonly value: string;
}

export interface Frame {
  readonly SeqID: number;
  readonly LogID: number;
  readonly service: number;
  readonly method: number;
  readonly headers: readonly FrameHeader[];
  readonly payloadEncoding?: string;
  readonly payloadType?: string;
  readonly payload?: Uint8Array;
  readonly LogIDNew?: string;
}

function varint(n: number | bigint): number[] {
  let v = BigInt.asUintN(64, BigInt(n));
  const out: number[] = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    out.push(byte);
  } while (v > 0n);
  return out;
}

const tag = (field: number, wire: number) => varint((field << 3) | wire);

function bytesField(field: number, data: Uint8Array): number[] {
  return [...tag(field, 2), ...varint(data.length), ...data];
}

const utf8 = (s: string) => new TextEncoder().encode(s);

export function encodeFrame(f: Frame): Uint8Array {
  const out: number[] = [
    ...tag(1, 0),
    ...varint(f.SeqID),
    ...tag(2, 0),
    ...varint(f.LogID),
    ...tag(3, 0),
    ...varint(f.service),
    ...tag(4, 0),
    ...varint(f.method),
  ];
  for (const h of f.headers) {
    const inner = [...bytesField(1, utf8(h.key)), ...bytesField(2, utf8(h.value))];
    out.push(...bytesField(5, Uint8Array.from(inner)));
  }
  if (f.payloadEncoding !== undefined) out.push(...bytesField(6, utf8(f.payloadEncoding)));
  if (f.payloadType !== undefined) out.push(...bytesField(7, utf8(f.payloadType)));
  if (f.payload !== undefined) out.push(...bytesField(8, f.payload));
  if (f.LogIDNew !== undefined) out.push(...bytesField(9, utf8(f.LogIDNew)));
  return Uint8Array.from(out);
}

class Reader {
  pos = 0;
  constructor(readonly buf: Uint8Array) {}
  done(): boolean {
    return this.pos >= this.buf.length;
  }
  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.pos >= this.buf.length) throw new Error("frame: truncated varint");
      const b = this.buf[this.pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
    }
  }
  bytes(): Uint8Array {
    const len = Number(this.varint());
    if (this.pos + len > this.buf.length) throw new Error("frame: truncated field");
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }
  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 2) this.bytes();
    else if (wire === 1) this.pos += 8;
    else if (wire === 5) this.pos += 4;
    else throw new Error(`frame: unsupported wire type ${wire}`);
  }
}

const text = (b: Uint8Array) => new TextDecoder().decode(b);

function decodeHeader(buf: Uint8Array): FrameHeader {
  const r = new Reader(buf);
  let key = "";
  let value = "";
  while (!r.done()) {
    const t = Number(r.varint());
    if (t >> 3 === 1) key = text(r.bytes());
    else if (t >> 3 === 2) value = text(r.bytes());
    else r.skip(t & 7);
  }
  return { key, value };
}

/** Decodes a frame; the four required fields must be present, as proto2 demands. */
export function decodeFrame(buf: Uint8Array): Frame {
  const r = new Reader(buf);
  const seen = new Set<number>();
  const f: { -readonly [K in keyof Frame]: Frame[K] } = {
    SeqID: 0,
    LogID: 0,
    service: 0,
    method: 0,
    headers: [],
  };
  const headers: FrameHeader[] = [];
  while (!r.done()) {
    const t = Number(r.varint());
    const field = t >> 3;
    seen.add(field);
    switch (field) {
      case 1:
        f.SeqID = Number(r.varint());
        break;
      case 2:
        f.LogID = Number(r.varint());
        break;
      case 3:
        f.service = Number(BigInt.asIntN(32, r.varint()));
        break;
      case 4:
        f.method = Number(BigInt.asIntN(32, r.varint()));
        break;
      case 5:
        headers.push(decodeHeader(r.bytes()));
        break;
      case 6:
        f.payloadEncoding = text(r.bytes());
        break;
      case 7:
        f.payloadType = text(r.bytes());
        break;
      case 8:
        f.payload = Uint8Array.from(r.bytes());
        break;
      case 9:
        f.LogIDNew = text(r.bytes());
        break;
      default:
        r.skip(t & 7);
    }
  }
  for (const required of [1, 2, 3, 4])
    if (!seen.has(required)) throw new Error(`frame: field ${required} missing`);
  f.headers = headers;
  return f;
}

export const headerOf = (f: Frame, key: string): string | undefined =>
  f.headers.find((h) => h.key === key)?.value;
