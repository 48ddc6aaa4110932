// The least work any SIP parser in Node must do to frame a message: find the empty line
// (Buffer#indexOf, a native search), read Content-Length, slice the body. The two bound
// contestants are built from these helpers. They check nothing else and build nothing.

const CRLF_CRLF = Buffer.from('\r\n\r\n');
const CR = 0x0d;
const LF = 0x0a;
const SP = 0x20;
const HTAB = 0x09;
const COLON = 0x3a;
const ZERO = 0x30;
const LOWER_CASE_BIT = 0x20;
const CONTENT_LENGTH = Buffer.from('content-length');
const LOWER_C = 0x63;
const LOWER_L = 0x6c;

/** Index of the CRLFCRLF that ends the header section, or -1. */
export function findEmptyLine(buffer, from) {
  return buffer.indexOf(CRLF_CRLF, from);
}

/**
 * Content-Length from the header lines in [start, end), in its long or compact form and with
 * any whitespace before the colon (RFC 3261 §7.3.3, §25.1); -1 when there is none.
 */
export function contentLengthOf(bytes, start, end) {
  let index = start;
  while (index < end) {
    const first = bytes[index] | LOWER_CASE_BIT;
    if (first === LOWER_L || first === LOWER_C) {
      const value = readContentLength(bytes, index);
      if (value >= 0) return value;
    }
    // Buffer#indexOf is a native memchr: about twice as fast here as a byte loop in JS.
    index = bytes.indexOf(LF, index) + 1;
    if (index === 0) break;
  }
  return -1;
}

function readContentLength(bytes, start) {
  let index = start;
  if ((bytes[index] | LOWER_CASE_BIT) === LOWER_L && !isNameByte(bytes[index + 1])) {
    index++;
  } else {
    for (let k = 0; k < CONTENT_LENGTH.length; k++) {
      if ((bytes[index + k] | LOWER_CASE_BIT) !== CONTENT_LENGTH[k]) return -1;
    }
    index += CONTENT_LENGTH.length;
  }
  while (bytes[index] === SP || bytes[index] === HTAB) index++;
  if (bytes[index] !== COLON) return -1;
  index++;
  while (bytes[index] === SP || bytes[index] === HTAB) index++;
  let value = 0;
  let digits = 0;
  for (;;) {
    const digit = bytes[index] - ZERO;
    if (!(digit >= 0 && digit <= 9)) break;
    value = value * 10 + digit;
    digits++;
    index++;
  }
  return digits > 0 ? value : -1;
}

function isNameByte(byte) {
  return byte !== undefined && byte !== SP && byte !== HTAB && byte !== COLON;
}

/**
 * A stream framer: buffers chunks, and for each complete message calls
 * `onFrame(buffer, start, emptyLine, end)` (empty line = index of its CRLFCRLF).
 * Throws when a message has no Content-Length (RFC 3261 §18.3: required on streams).
 */
export function createFramer(onFrame) {
  let pending;
  // Where the empty-line search resumes, relative to `pending`.
  let scanFrom = 0;
  let messageStart = 0;
  let emptyLine = -1;
  let bodyEnd = -1;
  return {
    push(chunk) {
      const buffer = pending === undefined ? chunk : Buffer.concat([pending, chunk]);
      let offset = messageStart;
      for (;;) {
        if (bodyEnd < 0) {
          // RFC 3261 §7.5: CRLFs between messages are skipped.
          while (buffer[offset] === CR && buffer[offset + 1] === LF) offset += 2;
          emptyLine = buffer.indexOf(CRLF_CRLF, Math.max(offset, scanFrom));
          if (emptyLine < 0) {
            messageStart = offset;
            scanFrom = Math.max(offset, buffer.byteLength - 3);
            break;
          }
          const length = contentLengthOf(buffer, offset, emptyLine);
          if (length < 0) throw new Error(`framing bound: no Content-Length at ${offset}`);
          messageStart = offset;
          bodyEnd = emptyLine + 4 + length;
        }
        if (bodyEnd > buffer.byteLength) break;
        onFrame(buffer, messageStart, emptyLine, bodyEnd);
        offset = bodyEnd;
        messageStart = offset;
        scanFrom = offset;
        bodyEnd = -1;
      }
      const keepFrom = messageStart;
      if (keepFrom >= buffer.byteLength) {
        pending = undefined;
        scanFrom = 0;
        messageStart = 0;
        emptyLine = -1;
        bodyEnd = -1;
        return;
      }
      pending = buffer.subarray(keepFrom);
      scanFrom -= keepFrom;
      messageStart -= keepFrom;
      if (bodyEnd >= 0) {
        emptyLine -= keepFrom;
        bodyEnd -= keepFrom;
      }
    },
    end() {
      if (pending !== undefined) throw new Error('framing bound: stream ended inside a message');
    },
  };
}
