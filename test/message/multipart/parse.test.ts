import { describe, expect, it } from 'vitest';
import { isSipError } from '../../../src/errors.js';
import {
  MULTIPART_ERROR_CODES,
  MultipartError,
  type MultipartErrorCode,
  parseContentType,
  parseMultipart,
} from '../../../src/message/index.js';

const text = (value: string): Uint8Array => new TextEncoder().encode(value);
const decode = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

function failure(run: () => unknown): MultipartError {
  try {
    run();
  } catch (error) {
    if (error instanceof MultipartError) return error;
    throw error;
  }
  throw new Error('expected a MultipartError');
}

/** An INVITE body in the style of RFC 5621 §3.1: SDP plus an ISUP message, written by us. */
const SDP =
  'v=0\r\no=alice 2890844526 2890844526 IN IP4 atlanta.example.com\r\ns=-\r\nc=IN IP4 192.0.2.101\r\nt=0 0\r\nm=audio 49172 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n';
/** An IAM-like ISUP payload: binary, with CR, LF, NUL and bytes above 0x7f. */
const ISUP = new Uint8Array([
  0x01, 0x00, 0x49, 0x00, 0x00, 0x03, 0x02, 0x00, 0x07, 0x04, 0x10, 0x00, 0x33, 0x63, 0x21, 0x43,
  0x00, 0x00, 0x03, 0x0d, 0x0a, 0x2d, 0x2d, 0xff, 0x80,
]);

function sdpIsupBody(): Uint8Array {
  const head = text(
    'This is a preamble.\r\n' +
      '--boundary1\r\n' +
      'Content-Type: application/sdp\r\n' +
      '\r\n' +
      SDP +
      '\r\n--boundary1\r\n' +
      'Content-Type: application/isup;version=itu-t92+\r\n' +
      'Content-Disposition: signal;handling=optional\r\n' +
      'Content-ID: <isup1@atlanta.example.com>\r\n' +
      '\r\n',
  );
  const tail = text('\r\n--boundary1--\r\nAn epilogue.');
  const body = new Uint8Array(head.length + ISUP.length + tail.length);
  body.set(head);
  body.set(ISUP, head.length);
  body.set(tail, head.length + ISUP.length);
  return body;
}

describe('parseMultipart', () => {
  it('splits an SDP + binary ISUP INVITE body (RFC 5621 §3.1 style)', () => {
    const parsed = parseMultipart(sdpIsupBody(), 'multipart/mixed;boundary=boundary1');
    expect(parsed.subtype).toBe('mixed');
    expect(parsed.boundary).toBe('boundary1');
    expect(decode(parsed.preamble)).toBe('This is a preamble.');
    expect(decode(parsed.epilogue)).toBe('An epilogue.');
    expect(parsed.parts).toHaveLength(2);
    const [sdp, isup] = parsed.parts;
    expect(sdp?.contentType?.subtype).toBe('sdp');
    expect(decode(sdp?.body ?? new Uint8Array())).toBe(SDP);
    expect(sdp?.offset).toBe(34);
    expect(isup?.headers).toEqual([
      { name: 'Content-Type', value: 'application/isup;version=itu-t92+' },
      { name: 'Content-Disposition', value: 'signal;handling=optional' },
      { name: 'Content-ID', value: '<isup1@atlanta.example.com>' },
    ]);
    expect(isup?.contentType?.params.get('version')).toBe('itu-t92+');
    expect(isup?.contentDisposition).toMatchObject({ type: 'signal', handling: 'optional' });
    expect(isup?.contentId).toBe('isup1@atlanta.example.com');
    expect(isup?.body).toEqual(ISUP);
    expect(isup?.multipart).toBeUndefined();
  });

  it('parses a nested multipart/alternative inside multipart/mixed (RFC 5621 §3.1)', () => {
    const body = text(
      '--outer\r\n' +
        'Content-Type: multipart/alternative; boundary="inner boundary"\r\n' +
        '\r\n' +
        '--inner boundary\r\nContent-Type: application/sdp\r\n\r\nv=0\r\n' +
        '\r\n--inner boundary\r\nContent-Type: text/plain\r\n\r\nno sdp' +
        '\r\n--inner boundary--\r\n' +
        '\r\n--outer\r\nContent-Type: application/resource-lists+xml\r\nContent-Disposition: recipient-list\r\n\r\n<list/>' +
        '\r\n--outer--',
    );
    const parsed = parseMultipart(body, 'multipart/mixed;boundary=outer');
    expect(parsed.parts).toHaveLength(2);
    const nested = parsed.parts[0]?.multipart;
    expect(nested?.subtype).toBe('alternative');
    expect(nested?.parts.map((part) => decode(part.body))).toEqual(['v=0\r\n', 'no sdp']);
    // offsets count from the start of the outermost body
    expect(nested?.parts[1]?.offset).toBe(decode(body).indexOf('Content-Type: text/plain'));
    expect(parsed.parts[1]?.contentDisposition?.handling).toBe('required');
    expect(decode(parsed.epilogue)).toBe('');
  });

  it('accepts a part without header fields, an empty part, transport padding and a folded header', () => {
    const body = text(
      '--b  \t\r\n\r\nplain' +
        '\r\n--b\r\n' +
        '\r\n--b\r\nX-Note: a\r\n  b\r\n\r\nc' +
        '\r\n--b-- \r\n',
    );
    const parsed = parseMultipart(body, 'multipart/mixed;boundary=b');
    expect(parsed.parts.map((part) => decode(part.body))).toEqual(['plain', '', 'c']);
    expect(parsed.parts[0]?.headers).toEqual([]);
    expect(parsed.parts[0]?.contentType).toBeUndefined();
    expect(parsed.parts[2]?.headers).toEqual([{ name: 'X-Note', value: 'a  b' }]);
  });

  it('treats the boundary inside a line, or followed by other text, as content', () => {
    const body = text('--b\r\n\r\nx --b y\r\n--bc\r\n--b--');
    expect(
      decode(parseMultipart(body, 'multipart/mixed;boundary=b').parts[0]?.body ?? new Uint8Array()),
    ).toBe('x --b y\r\n--bc');
  });

  it('takes a parsed Content-Type too, and its errors carry the sipwire brand', () => {
    const body = text('--b\r\n\r\nabc\r\n--b--');
    expect(parseMultipart(body, parseContentType('multipart/related; boundary="b"')).subtype).toBe(
      'related',
    );
    const error = failure(() => parseMultipart(body, parseContentType('text/plain')));
    expect({ code: error.code, brand: isSipError(error), name: error.name }).toEqual({
      code: 'NOT_MULTIPART',
      brand: true,
      name: 'MultipartError',
    });
  });

  it('copies what it returns, so the caller may reuse its buffer', () => {
    const body = text('--b\r\n\r\nabc\r\n--b--');
    const parsed = parseMultipart(body, 'multipart/mixed;boundary=b');
    body.fill(0);
    expect(decode(parsed.parts[0]?.body ?? new Uint8Array())).toBe('abc');
  });

  const CASES: Record<
    MultipartErrorCode,
    [body: string, contentType: string, offset: number | undefined]
  > = {
    NOT_MULTIPART: ['', 'application/sdp', undefined],
    MISSING_BOUNDARY: ['', 'multipart/mixed', undefined],
    INVALID_BOUNDARY: ['', `multipart/mixed;boundary=${'x'.repeat(71)}`, undefined],
    MISSING_DELIMITER: ['no delimiter here', 'multipart/mixed;boundary=b', 0],
    // the body ends (byte 15) where the close delimiter should be
    MISSING_CLOSE_DELIMITER: ['--b\r\n\r\nabc\r\n--b', 'multipart/mixed;boundary=b', 15],
    // part 0 ends at byte 22 without an empty line after "Content-Type: x/y"
    MISSING_BLANK_LINE: ['--b\r\nContent-Type: x/y\r\n--b--', 'multipart/mixed;boundary=b', 22],
    // the header line "bad line" starts at byte 5
    INVALID_PART_HEADER: ['--b\r\nbad line\r\n\r\nx\r\n--b--', 'multipart/mixed;boundary=b', 5],
    NO_PARTS: ['preamble\r\n--b--', 'multipart/mixed;boundary=b', 8],
    // the nested body starts at byte 36 (after "--b" CRLF and its Content-Type line)
    NESTING_TOO_DEEP: [
      '--b\r\nContent-Type: multipart/mixed;boundary=c\r\n\r\n--c\r\n\r\nx\r\n--c--\r\n--b--',
      'multipart/mixed;boundary=b',
      49,
    ],
    BOUNDARY_IN_PART: ['', '', undefined], // buildMultipart only: see build.test.ts
  };

  it('has a case for every code', () => {
    expect(Object.keys(CASES).sort()).toEqual([...MULTIPART_ERROR_CODES].sort());
  });

  it.each(Object.entries(CASES).filter(([code]) => code !== 'BOUNDARY_IN_PART'))(
    'raises %s with its byte offset',
    (code, [body, contentType, offset]) => {
      const error = failure(() => parseMultipart(text(body), contentType, { maxDepth: 0 }));
      expect({ code: error.code, offset: error.offset }).toEqual({ code, offset });
    },
  );

  it.each([
    [
      'NOT_MULTIPART',
      'Not a multipart Content-Type: expected multipart/<subtype>, found application/sdp',
    ],
    [
      'INVALID_BOUNDARY',
      `Invalid boundary: expected 1 to 70 of the characters 0-9 A-Z a-z '()+_,-./:=? and inner spaces (RFC 2046 §5.1.1), found "${'x'.repeat(32)}…"`,
    ],
    [
      'MISSING_DELIMITER',
      'Missing delimiter at byte 0: expected a line "--b" starting the first part (RFC 2046 §5.1.1)',
    ],
    [
      'MISSING_CLOSE_DELIMITER',
      'Missing close delimiter at byte 15 (part 0): expected "--b--" after the last part (RFC 2046 §5.1.1)',
    ],
    [
      'INVALID_PART_HEADER',
      'Invalid part header field at byte 5 (part 0): expected name ":" value with a token name and no bare CR or LF, found "bad line"',
    ],
    [
      'NO_PARTS',
      'No parts at byte 8: expected at least one body part before the close delimiter (RFC 2046 §5.1.1)',
    ],
    [
      'NESTING_TOO_DEEP',
      'Multipart nested too deeply at byte 49 (part 0): raise options.maxDepth to parse deeper nesting',
    ],
  ] as const)('words %s as what, where and what was expected', (code, message) => {
    const [body, contentType] = CASES[code];
    expect(failure(() => parseMultipart(text(body), contentType, { maxDepth: 0 })).message).toBe(
      message,
    );
  });

  it('gives absolute offsets inside nested parts', () => {
    const body = text(
      '--b\r\nContent-Type: multipart/mixed;boundary=c\r\n\r\n--c\r\nbad\r\n\r\n\r\n--c--\r\n--b--',
    );
    const error = failure(() => parseMultipart(body, 'multipart/mixed;boundary=b'));
    expect({ code: error.code, offset: error.offset }).toEqual({
      code: 'INVALID_PART_HEADER',
      offset: 54,
    });
  });

  it('reports a bad part Content-Type or Content-Disposition with its ParseError as cause', () => {
    const error = failure(() =>
      parseMultipart(
        text('--b\r\nX: 1\r\nContent-Disposition: ;x\r\n\r\n\r\n--b--'),
        'multipart/mixed;boundary=b',
      ),
    );
    expect(error.code).toBe('INVALID_PART_HEADER');
    expect(error.offset).toBe(11);
    expect((error.cause as { code: string }).code).toBe('INVALID_CONTENT_DISPOSITION');
    expect(failure(() => parseMultipart(text(''), 'multipart')).cause).toMatchObject({
      code: 'INVALID_CONTENT_TYPE',
    });
  });

  it('writes messages that say what, where and what to do', () => {
    expect(
      failure(() =>
        parseMultipart(text('--b\r\nContent-Type: x/y\r\n--b--'), 'multipart/mixed;boundary=b'),
      ).message,
    ).toMatchInlineSnapshot(
      `"Missing blank line at byte 22 (part 0): expected an empty line (CRLF CRLF) between the part header fields and its body (RFC 2046 §5.1.1)"`,
    );
    expect(
      failure(() => parseMultipart(text(''), 'multipart/mixed')).message,
    ).toMatchInlineSnapshot(
      `"Missing boundary: a multipart Content-Type needs a boundary parameter (RFC 2046 §5.1.1), found "multipart/mixed""`,
    );
  });
});
