/** Brand shared by every sipwire error, so two copies of the package recognise each other's errors. */
const SIP_ERROR_BRAND: unique symbol = Symbol.for('sipwire.error');

/**
 * Base class of every error sipwire throws. Each family (ParseError, BuildError, …)
 * extends it and adds a stable `code` string and its structured facts.
 */
export abstract class SipError extends Error {
  /** Stable UPPER_SNAKE identifier of the condition; never renamed once released. */
  abstract readonly code: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    Object.defineProperty(this, SIP_ERROR_BRAND, { value: true });
  }
}

/**
 * True when `value` is an error thrown by any copy of sipwire.
 * @param value - anything caught
 * @returns whether it carries the sipwire brand
 */
export function isSipError(value: unknown): value is SipError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[SIP_ERROR_BRAND] === true
  );
}

/**
 * Shows input text for an error message: printable ASCII as is, anything else as `\xNN`
 * (or `\u{…}` above 0xFF), cut after `maxChars` characters.
 * @internal
 */
export function escapeForMessage(text: string, maxChars = 32): string {
  let out = '';
  const end = Math.min(text.length, maxChars);
  for (let i = 0; i < end; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0x20 && unit < 0x7f && unit !== 0x22 && unit !== 0x5c) out += text[i];
    else if (unit === 0x22) out += '\\"';
    else if (unit === 0x5c) out += '\\\\';
    else if (unit <= 0xff) out += `\\x${unit.toString(16).padStart(2, '0')}`;
    else out += `\\u{${unit.toString(16)}}`;
  }
  return text.length > maxChars ? `${out}…` : out;
}

/**
 * Shows input bytes for an error message: printable ASCII as is, everything else as `\xNN`,
 * cut after `maxBytes` bytes.
 * @internal
 */
export function escapeBytesForMessage(bytes: Uint8Array, maxBytes = 32): string {
  let out = '';
  const end = Math.min(bytes.length, maxBytes);
  for (let i = 0; i < end; i++) {
    const byte = bytes[i] as number;
    if (byte >= 0x20 && byte < 0x7f && byte !== 0x22 && byte !== 0x5c)
      out += String.fromCharCode(byte);
    else if (byte === 0x22) out += '\\"';
    else if (byte === 0x5c) out += '\\\\';
    else out += `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  return bytes.length > maxBytes ? `${out}…` : out;
}
