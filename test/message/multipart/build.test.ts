import { describe, expect, it } from 'vitest';
import { buildMultipart, MultipartError, parseMultipart } from '../../../src/message/index.js';

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

describe('buildMultipart', () => {
  it('writes each part with its headers, a blank line and CRLF before every delimiter', () => {
    const built = buildMultipart(
      [
        { contentType: 'application/sdp', body: 'v=0\r\n' },
        {
          contentType: 'application/isup;version=itu-t92+',
          body: new Uint8Array([0x01, 0x0d, 0x0a, 0xff]),
          contentDisposition: 'signal;handling=optional',
          contentId: 'isup1@example.com',
          headers: [{ name: 'Content-Transfer-Encoding', value: 'binary' }],
        },
      ],
      { boundary: 'unique-boundary-1', preamble: 'ignore me', epilogue: 'and me' },
    );
    expect(built.contentType).toBe('multipart/mixed;boundary=unique-boundary-1');
    expect(built.boundary).toBe('unique-boundary-1');
    const head = new TextEncoder().encode(
      'ignore me\r\n' +
        '--unique-boundary-1\r\n' +
        'Content-Type: application/sdp\r\n' +
        '\r\n' +
        'v=0\r\n' +
        '\r\n--unique-boundary-1\r\n' +
        'Content-Type: application/isup;version=itu-t92+\r\n' +
        'Content-Disposition: signal;handling=optional\r\n' +
        'Content-ID: <isup1@example.com>\r\n' +
        'Content-Transfer-Encoding: binary\r\n' +
        '\r\n',
    );
    const tail = new TextEncoder().encode('\r\n--unique-boundary-1--\r\nand me');
    expect(built.body).toEqual(new Uint8Array([...head, 0x01, 0x0d, 0x0a, 0xff, ...tail]));
    const parsed = parseMultipart(built.body, built.contentType);
    expect(parsed.parts[1]?.body).toEqual(new Uint8Array([0x01, 0x0d, 0x0a, 0xff]));
    expect(decode(parsed.epilogue)).toBe('and me');
  });

  it('generates a boundary that occurs in no part', () => {
    const built = buildMultipart([{ contentType: 'text/plain', body: 'a' }]);
    expect(built.boundary).toMatch(/^sipwire-[0-9a-f]{24}$/);
    expect(built.contentType).toBe(`multipart/mixed;boundary=${built.boundary}`);
    expect(buildMultipart([{ contentType: 'text/plain', body: 'a' }]).boundary).not.toBe(
      built.boundary,
    );
  });

  it('quotes a boundary that is not a token and takes the subtype', () => {
    const built = buildMultipart([{ contentType: 'text/plain', body: 'a' }], {
      boundary: "gc0p4Jq0M2Yt08j34c0p'(:)?",
      subtype: 'alternative',
    });
    expect(built.contentType).toBe(`multipart/alternative;boundary="gc0p4Jq0M2Yt08j34c0p'(:)?"`);
    expect(parseMultipart(built.body, built.contentType).boundary).toBe(
      "gc0p4Jq0M2Yt08j34c0p'(:)?",
    );
  });

  it('nests: a multipart built first is a part of another', () => {
    const inner = buildMultipart(
      [
        { contentType: 'application/sdp', body: 'v=0\r\n' },
        { contentType: 'text/plain', body: 'no sdp' },
      ],
      { subtype: 'alternative' },
    );
    const outer = buildMultipart([
      { contentType: inner.contentType, body: inner.body },
      {
        contentType: 'application/resource-lists+xml',
        body: '<list/>',
        contentDisposition: 'recipient-list',
      },
    ]);
    const parsed = parseMultipart(outer.body, outer.contentType);
    expect(parsed.parts[0]?.multipart?.parts.map((part) => decode(part.body))).toEqual([
      'v=0\r\n',
      'no sdp',
    ]);
  });

  it('refuses no parts (NO_PARTS)', () => {
    expect(failure(() => buildMultipart([])).code).toBe('NO_PARTS');
  });

  it.each([[''], ['x'.repeat(71)], ['ends with space '], ['semi;colon'], ['é']])(
    'refuses the boundary %j (INVALID_BOUNDARY)',
    (boundary) => {
      expect(
        failure(() => buildMultipart([{ contentType: 'a/b', body: '' }], { boundary })).code,
      ).toBe('INVALID_BOUNDARY');
    },
  );

  it('accepts a 70-character boundary with inner spaces', () => {
    const boundary = `a b${'c'.repeat(67)}`;
    const built = buildMultipart([{ contentType: 'a/b', body: '' }], { boundary });
    expect(parseMultipart(built.body, built.contentType).boundary).toBe(boundary);
  });

  it('refuses a subtype that is not a token', () => {
    expect(
      failure(() => buildMultipart([{ contentType: 'a/b', body: '' }], { subtype: 'x y' })).code,
    ).toBe('INVALID_BOUNDARY');
  });

  it('refuses a given boundary that occurs in a part (BOUNDARY_IN_PART)', () => {
    const error = failure(() =>
      buildMultipart(
        [
          { contentType: 'a/b', body: 'fine' },
          { contentType: 'a/b', body: 'x\r\n--frontier\r\n' },
        ],
        { boundary: 'frontier' },
      ),
    );
    expect({ code: error.code, partIndex: error.partIndex, offset: error.offset }).toEqual({
      code: 'BOUNDARY_IN_PART',
      partIndex: 1,
      offset: undefined,
    });
    expect(error.message).toMatchInlineSnapshot(
      `"Boundary occurs in the content (part 1): "--frontier" is inside a part; choose another boundary or leave options.boundary out to generate one"`,
    );
    expect(
      failure(() =>
        buildMultipart([{ contentType: 'a/b', body: '' }], { boundary: 'f', epilogue: '--f' }),
      ).partIndex,
    ).toBeUndefined();
  });

  it.each([
    [{ contentType: 'a/b\r\nX: y', body: '' }],
    [{ contentType: 'a/b', body: '', headers: [{ name: 'Bad Name', value: 'x' }] }],
    [{ contentType: 'a/b', body: '', contentId: 'x>\r\n' }],
    [{ contentType: ' a/b', body: '' }],
  ])('refuses header injection or a bad name (INVALID_PART_HEADER)', (part) => {
    const error = failure(() => buildMultipart([part]));
    expect({ code: error.code, partIndex: error.partIndex }).toEqual({
      code: 'INVALID_PART_HEADER',
      partIndex: 0,
    });
  });
});
