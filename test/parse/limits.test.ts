import { describe, expect, it } from 'vitest';
import {
  createParser,
  DEFAULT_LIMITS,
  ParseError,
  type ParserLimits,
  parseDatagram,
} from '../../src/parse/index.js';
import { resolveLimits } from '../../src/parse/limits.js';
import { bytes } from '../helpers/bytes.js';
import { errorAt } from './support.js';

/** What feeding `input` one byte at a time did. */
interface Bytewise {
  /** Index of the byte whose push threw, or -1. */
  readonly failedAt: number;
  readonly code: string | undefined;
  readonly offset: number | undefined;
  /** Most bytes the parser held at any time. */
  readonly maxBuffered: number;
  readonly messages: number;
}

function feedBytewise(input: Uint8Array, limits: Partial<ParserLimits>): Bytewise {
  const parser = createParser({ limits });
  let maxBuffered = 0;
  let messages = 0;
  for (let i = 0; i < input.length; i++) {
    try {
      messages += parser.push(input.subarray(i, i + 1)).length;
    } catch (error) {
      if (!(error instanceof ParseError)) throw error;
      return { failedAt: i, code: error.code, offset: error.offset, maxBuffered, messages };
    }
    maxBuffered = Math.max(maxBuffered, parser.bufferedBytes);
  }
  return { failedAt: -1, code: undefined, offset: undefined, maxBuffered, messages };
}

/** Feeds `input` in one chunk: the same error must come out. */
function wholeError(input: Uint8Array, limits: Partial<ParserLimits>): string {
  return errorAt(() => {
    const parser = createParser({ limits });
    parser.push(input);
    parser.end();
  });
}

const START = 'OPTIONS sip:alice@example.com SIP/2.0\r\n'; // 39 bytes

describe('DEFAULT_LIMITS', () => {
  it('has the documented values, in bytes and fields', () => {
    expect(DEFAULT_LIMITS).toEqual({
      maxStartLineBytes: 8192,
      maxHeaderSectionBytes: 65536,
      maxHeaderLineBytes: 16384,
      maxHeaderCount: 256,
      maxBodyBytes: 1048576,
    });
  });

  it('is frozen', () => {
    expect(Object.isFrozen(DEFAULT_LIMITS)).toBe(true);
  });
});

describe('resolveLimits', () => {
  it('fills in the limits left out from DEFAULT_LIMITS', () => {
    expect(resolveLimits(undefined)).toBe(DEFAULT_LIMITS);
    expect(resolveLimits({ maxHeaderCount: 3, maxBodyBytes: 0 })).toEqual({
      ...DEFAULT_LIMITS,
      maxHeaderCount: 3,
      maxBodyBytes: 0,
    });
  });

  it.each([Number.NaN, -1, 1.5, Number.POSITIVE_INFINITY, 2 ** 53])(
    'rejects %s with a RangeError naming the limit',
    (value) => {
      expect(() => resolveLimits({ maxBodyBytes: value })).toThrow(RangeError);
      expect(() => createParser({ limits: { maxHeaderCount: value } })).toThrow(/maxHeaderCount/);
      expect(() => parseDatagram(bytes`x`, { limits: { maxStartLineBytes: value } })).toThrow(
        /maxStartLineBytes/,
      );
    },
  );
});

describe('maxStartLineBytes', () => {
  const input = bytes`${START}l: 0\r\n\r\n`;

  it('accepts a start line of exactly the limit, CRLF included', () => {
    expect(feedBytewise(input, { maxStartLineBytes: 39 })).toMatchObject({
      failedAt: -1,
      messages: 1,
    });
  });

  it('fails with START_LINE_TOO_LONG at the first byte past what the limit allows, before buffering it all', () => {
    // byte 37 is the CR: with a limit of 37 the line cannot end in time
    expect(feedBytewise(input, { maxStartLineBytes: 37 })).toEqual({
      failedAt: 36,
      code: 'START_LINE_TOO_LONG',
      offset: 0,
      maxBuffered: 36,
      messages: 0,
    });
    expect(wholeError(input, { maxStartLineBytes: 37 })).toBe('START_LINE_TOO_LONG@0');
  });

  it('bounds a start line that never ends', () => {
    const endless = bytes`OPTIONS sip:${'a'.repeat(5000)}`;
    expect(feedBytewise(endless, { maxStartLineBytes: 100 })).toMatchObject({
      failedAt: 99,
      code: 'START_LINE_TOO_LONG',
      maxBuffered: 99,
    });
  });
});

describe('maxHeaderLineBytes', () => {
  // "Subject: 0123456789" CRLF: 21 bytes, starting at 39
  const input = bytes`${START}Subject: 0123456789\r\nl: 0\r\n\r\n`;

  it('accepts a header field of exactly the limit, CRLF included', () => {
    expect(feedBytewise(input, { maxHeaderLineBytes: 21 })).toMatchObject({
      failedAt: -1,
      messages: 1,
    });
  });

  it('fails with HEADER_LINE_TOO_LONG at the field start, decided at the byte past the limit', () => {
    expect(feedBytewise(input, { maxHeaderLineBytes: 20 })).toMatchObject({
      failedAt: 39 + 19,
      code: 'HEADER_LINE_TOO_LONG',
      offset: 39,
    });
    expect(wholeError(input, { maxHeaderLineBytes: 20 })).toBe('HEADER_LINE_TOO_LONG@39');
  });

  it('counts folded continuation lines as part of the field', () => {
    // "Subject: a" CRLF " b" CRLF: 16 bytes in all
    const folded = bytes`${START}Subject: a\r\n b\r\nl: 0\r\n\r\n`;
    expect(feedBytewise(folded, { maxHeaderLineBytes: 16 })).toMatchObject({ failedAt: -1 });
    // the continuation's first byte (39 + 12) already makes the field longer than 12
    expect(feedBytewise(folded, { maxHeaderLineBytes: 12 })).toMatchObject({
      failedAt: 51,
      code: 'HEADER_LINE_TOO_LONG',
      offset: 39,
    });
    expect(wholeError(folded, { maxHeaderLineBytes: 12 })).toBe('HEADER_LINE_TOO_LONG@39');
  });

  it('does not apply to the start line', () => {
    expect(feedBytewise(input, { maxHeaderLineBytes: 21, maxStartLineBytes: 39 })).toMatchObject({
      failedAt: -1,
    });
  });
});

describe('maxHeaderSectionBytes', () => {
  // 39 + 21 + 6 + 2 = 68 bytes of header section
  const input = bytes`${START}Subject: 0123456789\r\nl: 4\r\n\r\nbody`;

  it('accepts a header section of exactly the limit, empty line included', () => {
    expect(feedBytewise(input, { maxHeaderSectionBytes: 68 })).toMatchObject({
      failedAt: -1,
      messages: 1,
    });
  });

  it('fails with HEADER_SECTION_TOO_LARGE at the message start, holding no more than the limit', () => {
    const result = feedBytewise(input, { maxHeaderSectionBytes: 67 });
    expect(result).toMatchObject({ failedAt: 66, code: 'HEADER_SECTION_TOO_LARGE', offset: 0 });
    expect(result.maxBuffered).toBeLessThanOrEqual(67);
    expect(wholeError(input, { maxHeaderSectionBytes: 67 })).toBe('HEADER_SECTION_TOO_LARGE@0');
  });

  it('bounds a header section that never ends, whatever the chunk size', () => {
    const endless = bytes`${START}${'X-Filler: 0123456789\r\n'.repeat(500)}`;
    const result = feedBytewise(endless, { maxHeaderSectionBytes: 1000 });
    expect(result).toMatchObject({ failedAt: 999, code: 'HEADER_SECTION_TOO_LARGE', offset: 0 });
    expect(result.maxBuffered).toBe(999);
    // in chunks of 300 bytes the parser never holds more than the limit either
    const parser = createParser({ limits: { maxHeaderSectionBytes: 1000 } });
    let thrown: unknown;
    for (let at = 0; at < endless.length && thrown === undefined; at += 300) {
      try {
        parser.push(endless.subarray(at, at + 300));
      } catch (error) {
        thrown = error;
      }
      expect(parser.bufferedBytes).toBeLessThanOrEqual(1000);
    }
    expect(thrown).toMatchObject({ code: 'HEADER_SECTION_TOO_LARGE', offset: 0 });
  });

  it('wins over a header-line limit decided later, and loses to one decided earlier', () => {
    // both limits are certain at the same field; the smaller decision index wins
    expect(wholeError(input, { maxHeaderSectionBytes: 50, maxHeaderLineBytes: 20 })).toBe(
      'HEADER_SECTION_TOO_LARGE@0',
    );
    expect(wholeError(input, { maxHeaderSectionBytes: 60, maxHeaderLineBytes: 12 })).toBe(
      'HEADER_LINE_TOO_LONG@39',
    );
  });
});

describe('maxHeaderCount', () => {
  const input = bytes`${START}a: 1\r\nb: 2\r\nl: 0\r\n\r\n`;

  it('accepts exactly the limit', () => {
    expect(feedBytewise(input, { maxHeaderCount: 3 })).toMatchObject({ failedAt: -1, messages: 1 });
  });

  it('fails with TOO_MANY_HEADERS at the first field too many, when its line completes', () => {
    // "l: 0" starts at 39 + 12 and its LF is at 39 + 17
    expect(feedBytewise(input, { maxHeaderCount: 2 })).toMatchObject({
      failedAt: 56,
      code: 'TOO_MANY_HEADERS',
      offset: 51,
    });
    expect(wholeError(input, { maxHeaderCount: 2 })).toBe('TOO_MANY_HEADERS@51');
  });

  it('counts a folded field once', () => {
    const folded = bytes`${START}a: 1\r\n 2\r\n 3\r\nl: 0\r\n\r\n`;
    expect(feedBytewise(folded, { maxHeaderCount: 2 })).toMatchObject({ failedAt: -1 });
  });
});

describe('maxBodyBytes', () => {
  it('accepts a body of exactly the limit', () => {
    expect(feedBytewise(bytes`${START}l: 4\r\n\r\nabcd`, { maxBodyBytes: 4 })).toMatchObject({
      failedAt: -1,
      messages: 1,
    });
  });

  it('fails with BODY_TOO_LARGE at the Content-Length value, before any body byte is held', () => {
    const result = feedBytewise(bytes`${START}l: 5\r\n\r\nabcde`, { maxBodyBytes: 4 });
    // the section ends at 39 + 6 + 2 = 47; its last byte (46) decides
    expect(result).toMatchObject({ failedAt: 46, code: 'BODY_TOO_LARGE', offset: 42 });
    expect(wholeError(bytes`${START}l: 5\r\n\r\nabcde`, { maxBodyBytes: 4 })).toBe(
      'BODY_TOO_LARGE@42',
    );
  });

  it('bounds a datagram without Content-Length: the body is the rest of it (RFC 3261 §18.3)', () => {
    const datagram = bytes`${START}\r\nabcde`;
    expect(parseDatagram(datagram, { limits: { maxBodyBytes: 5 } }).body.length).toBe(5);
    expect(errorAt(() => parseDatagram(datagram, { limits: { maxBodyBytes: 4 } }))).toBe(
      'BODY_TOO_LARGE@41',
    );
  });
});

describe('DEFAULT_LIMITS in force', () => {
  it('START_LINE_TOO_LONG at the 8192nd byte of a start line without its CRLF', () => {
    const result = feedBytewise(bytes`OPTIONS sip:${'a'.repeat(9000)}`, {});
    expect(result).toMatchObject({
      failedAt: 8191,
      code: 'START_LINE_TOO_LONG',
      offset: 0,
      maxBuffered: 8191,
    });
  });

  it('HEADER_LINE_TOO_LONG at the 16384th byte of a field', () => {
    const result = feedBytewise(bytes`${START}Subject: ${'a'.repeat(17000)}`, {});
    expect(result).toMatchObject({
      failedAt: 39 + 16383,
      code: 'HEADER_LINE_TOO_LONG',
      offset: 39,
    });
  });

  it('HEADER_SECTION_TOO_LARGE at the 65536th byte of a header section', () => {
    // 250 fields of 302 bytes: under the field count and field size limits
    const result = feedBytewise(
      bytes`${START}${`X-Filler: ${'x'.repeat(290)}\r\n`.repeat(250)}`,
      {},
    );
    expect(result).toMatchObject({
      failedAt: 65535,
      code: 'HEADER_SECTION_TOO_LARGE',
      offset: 0,
      maxBuffered: 65535,
    });
  });

  it('TOO_MANY_HEADERS at the 257th field', () => {
    // field 256 (0-based) starts at 39 + 256 * 6 and its LF is 5 bytes later
    const result = feedBytewise(bytes`${START}${'a: 1\r\n'.repeat(300)}`, {});
    expect(result).toMatchObject({ failedAt: 1580, code: 'TOO_MANY_HEADERS', offset: 1575 });
  });

  it('BODY_TOO_LARGE for a Content-Length of 1 MiB + 1, before any body byte', () => {
    const result = feedBytewise(bytes`${START}l: 1048577\r\n\r\nbody`, {});
    expect(result).toMatchObject({ failedAt: 39 + 12 + 1, code: 'BODY_TOO_LARGE', offset: 42 });
    // 53 bytes of header section and the 4 body bytes received
    expect(feedBytewise(bytes`${START}l: 1048576\r\n\r\nbody`, {})).toMatchObject({
      failedAt: -1,
      maxBuffered: 57,
    });
  });
});
