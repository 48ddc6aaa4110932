import { escapeForMessage } from '../../errors.js';
import { multipartError } from './errors.js';

// RFC 2046 §5.1.1: bcharsnospace := DIGIT / ALPHA / "'" / "(" / ")" / "+" / "_" / "," / "-" /
// "." / "/" / ":" / "=" / "?"; bchars := bcharsnospace / " "
const BCHARS_NO_SPACE = `0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'()+_,-./:=?`;

/** RFC 2046 §5.1.1: a boundary is 1 to 70 characters. */
export const MAX_BOUNDARY_LENGTH = 70;

/**
 * Checks a boundary against RFC 2046 §5.1.1: 1 to 70 bchars, not ending with a space.
 * @param boundary - the boundary parameter's value
 * @returns nothing
 * @throws MultipartError INVALID_BOUNDARY
 * @internal
 */
export function checkBoundary(boundary: string): void {
  let valid = boundary.length >= 1 && boundary.length <= MAX_BOUNDARY_LENGTH;
  for (let i = 0; valid && i < boundary.length; i++) {
    const char = boundary[i] ?? '';
    valid =
      (char !== '' && BCHARS_NO_SPACE.includes(char)) || (char === ' ' && i < boundary.length - 1);
  }
  if (!valid) {
    throw multipartError(
      'INVALID_BOUNDARY',
      'Invalid boundary',
      `expected 1 to 70 of the characters 0-9 A-Z a-z '()+_,-./:=? and inner spaces (RFC 2046 §5.1.1), found "${escapeForMessage(boundary)}"`,
    );
  }
}

/** A fresh boundary: `sipwire-` and 24 random hex digits (crypto.getRandomValues). @internal */
export function generateBoundary(): string {
  let hex = '';
  for (const byte of crypto.getRandomValues(new Uint8Array(12))) {
    hex += byte.toString(16).padStart(2, '0');
  }
  return `sipwire-${hex}`;
}

/**
 * The first index at or after `from` where `pattern` occurs in `bytes`, or -1.
 * @internal
 */
export function indexOfBytes(bytes: Uint8Array, pattern: Uint8Array, from: number): number {
  const first = pattern[0];
  if (first === undefined) return from;
  const last = bytes.length - pattern.length;
  for (let i = bytes.indexOf(first, from); i !== -1 && i <= last; i = bytes.indexOf(first, i + 1)) {
    let j = 1;
    while (j < pattern.length && bytes[i + j] === pattern[j]) j++;
    if (j === pattern.length) return i;
  }
  return -1;
}
