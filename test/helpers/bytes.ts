/**
 * Byte helpers for tests: a template tag for readable SIP text, and ways to cut a buffer into
 * chunks the way a network would.
 */

const encoder = new TextEncoder();

/**
 * Template tag: the text (escapes such as `\r\n` and `\x00` applied) encoded as UTF-8.
 * @example bytes`OPTIONS sip:a@b SIP/2.0\r\nContent-Length: 0\r\n\r\n`
 */
export function bytes(strings: TemplateStringsArray, ...values: unknown[]): Uint8Array {
  let text = '';
  strings.forEach((part, index) => {
    text += part;
    if (index < values.length) text += String(values[index]);
  });
  return encoder.encode(text);
}

/**
 * Bytes from a string of code points 0–255, one byte each (for raw, non-UTF-8 octets).
 */
export function latin1(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}

/** Joins byte arrays. */
export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/**
 * Cuts `input` at the given points (any order, duplicates and out-of-range points ignored).
 * @returns the pieces, in order; their concatenation is `input`
 */
export function splitAt(input: Uint8Array, points: readonly number[]): Uint8Array[] {
  const cuts = [...new Set(points.filter((point) => point > 0 && point < input.length))].sort(
    (a, b) => a - b,
  );
  const pieces: Uint8Array[] = [];
  let from = 0;
  for (const cut of cuts) {
    pieces.push(input.subarray(from, cut));
    from = cut;
  }
  pieces.push(input.subarray(from));
  return pieces;
}

/** Cuts `input` into pieces of `size` bytes (the last may be shorter). */
export function chunk(input: Uint8Array, size: number): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  for (let from = 0; from < input.length; from += size) {
    pieces.push(input.subarray(from, from + size));
  }
  if (pieces.length === 0) pieces.push(input);
  return pieces;
}

/** Shows bytes as text for assertion messages: printable ASCII as is, others as \xNN. */
export function showBytes(input: Uint8Array): string {
  let out = '';
  for (const byte of input) {
    out +=
      byte >= 0x20 && byte < 0x7f
        ? String.fromCharCode(byte)
        : `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  return out;
}
