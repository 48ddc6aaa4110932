/**
 * Round trip: any parts (binary bodies with CR, LF and dashes included, optional disposition,
 * Content-ID and extra headers), any preamble and epilogue → buildMultipart → parseMultipart
 * gives back the same parts, byte for byte. And parseMultipart throws only MultipartError on
 * any bytes.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import {
  buildMultipart,
  type HeaderField,
  MultipartError,
  type MultipartPartInput,
  parseMultipart,
} from '../../../src/message/index.js';

const value = fc.stringMatching(/^[!-~]([ -~]{0,20}[!-~])?$/);
const name = fc.stringMatching(/^X-[A-Za-z0-9-]{1,10}$/);
/** Bytes biased towards what a delimiter is made of. */
const bodyBytes = fc.oneof(
  fc.uint8Array({ maxLength: 200 }),
  fc
    .array(fc.constantFrom(0x0d, 0x0a, 0x2d, 0x20, 0x62, 0x00, 0xff), { maxLength: 60 })
    .map((bytes) => new Uint8Array(bytes)),
);
const part: fc.Arbitrary<MultipartPartInput> = fc.record(
  {
    contentType: fc.constantFrom(
      'application/sdp',
      'application/isup;version=itu-t92+',
      'text/plain;charset=utf-8',
      'application/octet-stream',
    ),
    body: bodyBytes,
    contentDisposition: fc.constantFrom(
      'session;handling=required',
      'signal;handling=optional',
      'render',
    ),
    contentId: fc.stringMatching(/^[a-z0-9.]{1,12}@[a-z.]{1,12}$/),
    headers: fc.array(fc.record({ name, value }), { maxLength: 2 }),
  },
  { requiredKeys: ['contentType', 'body'] },
);
const options = fc.record(
  {
    boundary: fc.stringMatching(
      /^[0-9A-Za-z'()+_,\-./:=?]([0-9A-Za-z'()+_,\-./:=? ]{0,68}[0-9A-Za-z'()+_,\-./:=?])?$/,
    ),
    subtype: fc.constantFrom('mixed', 'alternative', 'related'),
    preamble: bodyBytes,
    epilogue: bodyBytes,
  },
  { requiredKeys: [] },
);

function expectedHeaders(input: MultipartPartInput): HeaderField[] {
  return [
    { name: 'Content-Type', value: input.contentType },
    ...(input.contentDisposition === undefined
      ? []
      : [{ name: 'Content-Disposition', value: input.contentDisposition }]),
    ...(input.contentId === undefined
      ? []
      : [{ name: 'Content-ID', value: `<${input.contentId}>` }]),
    ...(input.headers ?? []),
  ];
}

describe('multipart round trip', () => {
  test.prop([fc.array(part, { minLength: 1, maxLength: 5 }), options], { numRuns: 300 })(
    'build → parse gives back the same parts, preamble and epilogue',
    (parts, opts) => {
      let built: ReturnType<typeof buildMultipart>;
      try {
        built = buildMultipart(parts, opts);
      } catch (error) {
        // only a given boundary can clash with the content
        expect(error).toBeInstanceOf(MultipartError);
        expect((error as MultipartError).code).toBe('BOUNDARY_IN_PART');
        expect(opts.boundary).toBeDefined();
        return;
      }
      const parsed = parseMultipart(built.body, built.contentType);
      expect(parsed.subtype).toBe(opts.subtype ?? 'mixed');
      expect(parsed.parts.map((p) => ({ headers: p.headers, body: p.body }))).toEqual(
        parts.map((p) => ({ headers: expectedHeaders(p), body: p.body })),
      );
      expect(parsed.preamble).toEqual(opts.preamble ?? new Uint8Array(0));
      expect(parsed.epilogue).toEqual(opts.epilogue ?? new Uint8Array(0));
    },
  );

  test.prop(
    [
      fc.uint8Array({ maxLength: 200 }),
      fc.constantFrom('b', 'multipart/mixed;boundary=b', 'multipart/mixed;boundary=--'),
    ],
    {
      numRuns: 500,
    },
  )('parseMultipart throws only MultipartError on any bytes', (bytes, contentType) => {
    try {
      parseMultipart(bytes, contentType);
    } catch (error) {
      expect(error).toBeInstanceOf(MultipartError);
    }
  });
});
