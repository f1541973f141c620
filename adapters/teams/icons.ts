import { encodePng } from "./png.ts";

/**
 * closeloop's Teams icons, drawn here so the project owns them: a loop (an open ring) around a check mark.
 * Colour: 192x192, white on the accent blue. Outline: 32x32, white on transparent (Teams' rule).
 */
const ACCENT = [0x25, 0x63, 0xeb] as const;

type Shape = (x: number, y: number) => boolean;

function mark(size: number): Shape {
  const c = size / 2;
  const outer = size * 0.4;
  const inner = size * 0.29;
  const stroke = size * 0.065;
  // The ring is open at the upper right, like a loop about to close.
  const ring: Shape = (x, y) => {
    const r = Math.hypot(x - c, y - c);
    const angle = Math.atan2(y - c, x - c);
    return r <= outer && r >= inner && !(angle > -1.25 && angle < -0.35);
  };
  const check = [
    [0.34, 0.52],
    [0.46, 0.64],
    [0.68, 0.38],
  ].map(([px, py]) => [px! * size, py! * size] as const);
  const nearSegment = (x: number, y: number, a: readonly [number, number], b: readonly [number, number]) => {
    const [ax, ay] = a;
    const [bx, by] = b;
    const t = Math.max(
      0,
      Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)),
    );
    return Math.hypot(x - (ax + t * (bx - ax)), y - (ay + t * (by - ay))) <= stroke;
  };
  return (x, y) =>
    ring(x, y) || nearSegment(x, y, check[0]!, check[1]!) || nearSegment(x, y, check[1]!, check[2]!);
}

/** Coverage of a pixel by a shape, 4x4 supersampled (smooth edges). */
function coverage(shape: Shape, px: number, py: number): number {
  let hits = 0;
  for (let i = 0; i < 4; i++)
    for (let j = 0; j < 4; j++) if (shape(px + (i + 0.5) / 4, py + (j + 0.5) / 4)) hits++;
  return hits / 16;
}

function draw(size: number, background: readonly [number, number, number] | undefined): Buffer {
  const shape = mark(size);
  const rgba = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const a = coverage(shape, x, y);
      const o = (y * size + x) * 4;
      if (background) {
        for (let k = 0; k < 3; k++) rgba[o + k] = Math.round(background[k]! * (1 - a) + 255 * a);
        rgba[o + 3] = 255;
      } else {
        rgba.set([255, 255, 255, Math.round(255 * a)], o);
      }
    }
  return encodePng(size, size, rgba);
}

export const colorIcon = (): Buffer => draw(192, ACCENT);
export const outlineIcon = (): Buffer => draw(32, undefined);
