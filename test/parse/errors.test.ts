import { describe, expect, it } from 'vitest';
import { isSipError } from '../../src/errors.js';
import { parseChallenge, parseCredentials } from '../../src/message/fields/auth.js';
import { parseContentDisposition } from '../../src/message/fields/content-disposition.js';
import { parseNameAddr } from '../../src/message/fields/index.js';
import {
  PARSE_ERROR_CODES,
  ParseError,
  type ParseErrorCode,
  parseError,
} from '../../src/parse/errors.js';
import { createParser, parseDatagram, parseMessage } from '../../src/parse/index.js';
import { bytes } from '../helpers/bytes.js';
import { catchParseError } from './support.js';

/** "OPTIONS sip:bob@example.com SIP/2.0" CRLF: 37 bytes, so its first header starts at 37. */
const REQUEST_LINE = 'OPTIONS sip:bob@example.com SIP/2.0\r\n';

/** Runs `text` through a fresh stream parser in one chunk, then end(). */
function stream(text: string, limits?: Parameters<typeof createParser>[0]): () => void {
  return () => {
    const parser = createParser(limits);
    parser.push(new TextEncoder().encode(text));
    parser.end();
  };
}

/** Parses `text` as a datagram, then reads `accessor` (when given) of the message. */
function datagram(text: string, accessor?: string, options?: Parameters<typeof parseMessage>[1]) {
  return () => {
    const message = parseMessage(text, options) as unknown as Record<string, unknown>;
    if (accessor !== undefined) return message[accessor];
    return message;
  };
}

/**
 * One way to raise each code the parser and its accessors can raise, with the exact offset.
 * Keyed by code and checked against Record<ParseErrorCode, …>, so a new code without a case
 * fails to compile.
 */
const CASES: Record<ParseErrorCode, readonly [action: () => unknown, offset: number]> = {
  // "OPTIONS" SP SP: the second SP, where the Request-URI should start
  INVALID_START_LINE: [datagram('OPTIONS  sip:bob@example.com SIP/2.0\r\n\r\n'), 8],
  INVALID_METHOD: [datagram('OPT@ONS sip:bob@example.com SIP/2.0\r\n\r\n'), 3],
  INVALID_REQUEST_URI: [datagram('OPTIONS <sip:bob@example.com> SIP/2.0\r\n\r\n'), 8],
  // the "x" of SIP/2.x
  INVALID_VERSION: [datagram('OPTIONS sip:bob@example.com SIP/2.x\r\n\r\n'), 34],
  INVALID_STATUS_CODE: [datagram('SIP/2.0 2000 OK\r\n\r\n'), 8],
  INVALID_REASON_PHRASE: [datagram('SIP/2.0 200 O\x01K\r\n\r\n'), 13],
  // "Via@": the "@" at 37 + 3
  INVALID_HEADER_NAME: [datagram(`${REQUEST_LINE}Via@: x\r\n\r\n`), 40],
  // "Via x": the "x" where ":" should be
  INVALID_HEADER_LINE: [datagram(`${REQUEST_LINE}Via x\r\n\r\n`), 41],
  // the LF of "l: 0" LF
  INVALID_LINE_ENDING: [datagram(`${REQUEST_LINE}l: 0\n\r\n`), 41],
  // "Content-Length: " is 16 bytes; the "-" of -1
  INVALID_CONTENT_LENGTH: [datagram(`${REQUEST_LINE}Content-Length: -1\r\n\r\n`), 53],
  // the message starts after the leading CRLF
  MISSING_CONTENT_LENGTH: [stream(`\r\n${REQUEST_LINE}\r\n`), 2],
  // the second "l: " value: 37 + 6 + 3
  CONFLICTING_CONTENT_LENGTH: [stream(`${REQUEST_LINE}l: 0\r\nl: 1\r\n\r\n`), 46],
  CONTENT_LENGTH_EXCEEDS_DATAGRAM: [datagram(`${REQUEST_LINE}l: 5\r\n\r\nabc`), 40],
  // end() after the 37 bytes of an unfinished header section
  INCOMPLETE_MESSAGE: [stream(REQUEST_LINE), 37],
  START_LINE_TOO_LONG: [stream(REQUEST_LINE, { limits: { maxStartLineBytes: 36 } }), 0],
  HEADER_SECTION_TOO_LARGE: [
    stream(`${REQUEST_LINE}l: 0\r\n\r\n`, { limits: { maxHeaderSectionBytes: 44 } }),
    0,
  ],
  // the field "Subject: abc" starts at 37
  HEADER_LINE_TOO_LONG: [
    stream(`${REQUEST_LINE}Subject: abc\r\n\r\n`, { limits: { maxHeaderLineBytes: 13 } }),
    37,
  ],
  // the second field starts at 37 + 6
  TOO_MANY_HEADERS: [
    stream(`${REQUEST_LINE}l: 0\r\nl: 0\r\n\r\n`, { limits: { maxHeaderCount: 1 } }),
    43,
  ],
  BODY_TOO_LARGE: [stream(`${REQUEST_LINE}l: 5\r\n\r\n12345`, { limits: { maxBodyBytes: 4 } }), 40],
  // "To: " value at 41; "<foo>": the URI "foo" has no ":" (41 + 4)
  INVALID_URI: [datagram(`${REQUEST_LINE}To: <foo>\r\n\r\n`, 'to'), 45],
  // "To: " value at 41; "A" then a URI without "<": the "<" is expected at 41 + 4
  INVALID_NAME_ADDR: [datagram(`${REQUEST_LINE}To: "A" sip:a@b\r\n\r\n`, 'to'), 45],
  // "Via: " value at 42; "SIP/2.0 h": SWS "/" expected, the "h" at 42 + 8 breaks it
  INVALID_VIA: [datagram(`${REQUEST_LINE}Via: SIP/2.0 h\r\n\r\n`, 'via'), 50],
  // "CSeq: " value at 43; "1": the method is missing at 43 + 1
  INVALID_CSEQ: [datagram(`${REQUEST_LINE}CSeq: 1\r\n\r\n`, 'cseq'), 44],
  // "Max-Forwards: " value at 51
  INVALID_NUMBER: [datagram(`${REQUEST_LINE}Max-Forwards: x\r\n\r\n`, 'maxForwards'), 51],
  NUMBER_OUT_OF_RANGE: [datagram(`${REQUEST_LINE}Max-Forwards: 256\r\n\r\n`, 'maxForwards'), 51],
  // "To: " value at 41; "<sip:a@b>;;": the empty parameter after the first ";" (41 + 10)
  INVALID_PARAMETER: [datagram(`${REQUEST_LINE}To: <sip:a@b>;;\r\n\r\n`, 'to'), 51],
  // "To: " value at 41: the quote that never closes
  INVALID_QUOTED_STRING: [datagram(`${REQUEST_LINE}To: "abc <sip:a@b>\r\n\r\n`, 'to'), 41],
  // "Content-Type: " value at 51; "/" expected at the end of "application" (51 + 11)
  INVALID_CONTENT_TYPE: [
    datagram(`${REQUEST_LINE}Content-Type: application\r\n\r\n`, 'contentType'),
    62,
  ],
  // "Require: " value at 46; "a b": "," expected at 46 + 2
  INVALID_OPTION_TAG: [datagram(`${REQUEST_LINE}Require: a b\r\n\r\n`, 'require'), 48],
  // "Contact: " value at 46; the "<" that never closes
  INVALID_HEADER_VALUE: [datagram(`${REQUEST_LINE}Contact: <sip:a@b\r\n\r\n`, 'contact'), 46],
  // WWW-Authenticate / Authorization values (no accessor): "=" expected at the end
  INVALID_CHALLENGE: [() => parseChallenge('Digest realm'), 12],
  INVALID_CREDENTIALS: [() => parseCredentials('Digest username'), 15],
  // "session;handling": the flag handling needs a value
  INVALID_CONTENT_DISPOSITION: [() => parseContentDisposition('session;handling'), 8],
};

describe('PARSE_ERROR_CODES', () => {
  it('is a list of unique UPPER_SNAKE codes', () => {
    expect(new Set(PARSE_ERROR_CODES).size).toBe(PARSE_ERROR_CODES.length);
    for (const code of PARSE_ERROR_CODES) expect(code).toMatch(/^[A-Z]+(_[A-Z]+)*$/);
  });

  it('has a test case below for every code, and no case for an unknown one', () => {
    expect(Object.keys(CASES).sort()).toEqual([...PARSE_ERROR_CODES].sort());
  });

  it.each(Object.entries(CASES))('%s is raised with its exact offset', (code, [action, offset]) => {
    const error = catchParseError(action);
    expect({ code: error.code, offset: error.offset }).toEqual({ code, offset });
  });
});

describe('ParseError', () => {
  it('carries the code, the offset, its name and the sipwire brand', () => {
    const error = new ParseError('INVALID_METHOD', 12, 'Invalid method at byte 12');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ParseError');
    expect(error.code).toBe('INVALID_METHOD');
    expect(error.offset).toBe(12);
    expect(error.message).toBe('Invalid method at byte 12');
    expect(isSipError(error)).toBe(true);
  });

  it('passes a cause through the standard Error options', () => {
    const cause = new ParseError('INVALID_URI', 3, 'inner');
    const error = new ParseError('INVALID_URI', 40, 'outer', { cause });
    expect(error.cause).toBe(cause);
  });
});

describe('parseError', () => {
  it('says what, where and what was expected, showing the input escaped', () => {
    const error = parseError(
      'INVALID_STATUS_CODE',
      8,
      'Invalid status code',
      'expected three digits from 100 to 699',
      bytes`2x0"\\\x00é`,
    );
    expect(error.code).toBe('INVALID_STATUS_CODE');
    expect(error.offset).toBe(8);
    expect(error.message).toBe(
      'Invalid status code at byte 8: expected three digits from 100 to 699, found "2x0\\"\\\\\\x00\\xc3\\xa9"',
    );
  });

  it('cuts the shown input after 32 bytes', () => {
    const error = parseError(
      'INVALID_METHOD',
      0,
      'Invalid method',
      'expected a token',
      new Uint8Array(40).fill(0x41),
    );
    expect(error.message).toBe(
      `Invalid method at byte 0: expected a token, found "${'A'.repeat(32)}…"`,
    );
  });

  it('leaves out "found" when no input is given', () => {
    expect(
      parseError('INCOMPLETE_MESSAGE', 5, 'Incomplete message', 'the stream ended').message,
    ).toBe('Incomplete message at byte 5: the stream ended');
  });
});

describe('error messages', () => {
  it('pins the message of a framing error', () => {
    const error = catchParseError(() => parseDatagram(bytes`SIP/2.0 2000 OK\r\n\r\n`));
    expect(error.message).toMatchInlineSnapshot(
      `"Invalid status code at byte 8: expected three digits from 100 to 699, found "2000""`,
    );
  });

  it('pins the message of a limit error, which names the option to raise', () => {
    const error = catchParseError(CASES.TOO_MANY_HEADERS[0]);
    expect(error.message).toMatchInlineSnapshot(
      `"Too many header fields at byte 43: a message may have at most 1; raise limits.maxHeaderCount if this peer is legitimate"`,
    );
  });

  it('pins the message of an accessor error, which names the header and both offsets', () => {
    const error = catchParseError(CASES.NUMBER_OUT_OF_RANGE[0]);
    expect(error.message).toMatchInlineSnapshot(
      `"Max-Forwards out of range at character 0: expected a number from 0 to 255, found "256" (Max-Forwards value at byte 51; error at byte 51)"`,
    );
  });
});

describe('ParseError offset and valueIndex: one unit everywhere', () => {
  // "Jösé" takes 6 bytes for 4 characters, so bytes and characters differ after it.
  const value = '"Jösé" <sip:alice@exa mple.com>;tag=1';
  const head = `OPTIONS sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bKx\r\n`;
  const text = `${head}From: ${value}\r\nContent-Length: 0\r\n\r\n`;
  const valueStart = new TextEncoder().encode(`${head}From: `).length;

  it('gives the same valueIndex from parseNameAddr and from message.from, and bytes in offset', () => {
    const direct = catchParseError(() => parseNameAddr(value));
    const message = parseMessage(text);
    const through = catchParseError(() => message.from);
    expect(direct.code).toBe('INVALID_URI');
    expect(through.code).toBe(direct.code);
    // the space inside the host: character 21 of the value, byte 23 of its UTF-8
    expect(value[direct.valueIndex ?? -1]).toBe(' ');
    expect([direct.valueIndex, direct.offset]).toEqual([21, 23]);
    expect(through.valueIndex).toBe(direct.valueIndex);
    expect(through.offset).toBe(valueStart + direct.offset);
  });

  it('counts the stream offset from the stream start, the valueIndex inside the value', () => {
    const parser = createParser();
    const prefix = 'OPTIONS sip:a@b SIP/2.0\r\nContent-Length: 0\r\n\r\n';
    const [, second] = parser.push(new TextEncoder().encode(prefix + text));
    const error = catchParseError(() => second?.from);
    expect(error.offset).toBe(prefix.length + valueStart + 23);
    expect(error.valueIndex).toBe(21);
  });

  it('leaves valueIndex undefined for framing and start-line errors', () => {
    const error = catchParseError(datagram('OPTIONS  sip:a@b SIP/2.0\r\n\r\n'));
    expect([error.code, error.offset, error.valueIndex]).toEqual([
      'INVALID_START_LINE',
      8,
      undefined,
    ]);
  });

  it('gives a Request-URI error its index inside the Request-URI', () => {
    const message = parseMessage('OPTIONS sip:a@b?x=1 SIP/2.0\r\nContent-Length: 0\r\n\r\n');
    if (message.type !== 'request') throw new Error('not a request');
    const error = catchParseError(() => message.requestUri);
    expect([error.code, error.offset, error.valueIndex]).toEqual(['INVALID_REQUEST_URI', 15, 7]);
  });
});
