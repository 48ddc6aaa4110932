import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  parseCallId,
  parseContentType,
  parseCSeq,
  parseDecimal,
  parseNameAddr,
  parseOptionTags,
  parseParameters,
  parseQuotedString,
  parseRetryAfter,
  parseUri,
  parseVia,
  quoteString,
  splitHeaderList,
} from '../../../src/message/fields/index.js';
import { ParseError } from '../../../src/parse/errors.js';

const NUM_RUNS = 300;

/** Every public parser, each taking one string. */
const encoder = new TextEncoder();

const PARSERS: ReadonlyArray<readonly [string, (text: string) => unknown]> = [
  ['splitHeaderList', splitHeaderList],
  ['parseParameters', parseParameters],
  ['parseQuotedString', parseQuotedString],
  ['quoteString', quoteString],
  ['parseUri', parseUri],
  ['parseNameAddr', parseNameAddr],
  ['parseVia', parseVia],
  ['parseCSeq', parseCSeq],
  ['parseDecimal', (text) => parseDecimal(text, 4294967295, 'Expires')],
  ['parseRetryAfter', parseRetryAfter],
  ['parseOptionTags', parseOptionTags],
  ['parseContentType', parseContentType],
  ['parseCallId', parseCallId],
];

/** Characters that matter to the grammar, so random strings reach deep into each parser. */
const GRAMMAR_CHARS = [...'sipSIP:@;=,<>"\\[]%25.()/ \t?&*+-_~abcfFz0917\x00\r\né東\uD800'];

const anyString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)) }),
  fc.string({ unit: fc.constantFrom(...GRAMMAR_CHARS), maxLength: 80 }),
  // near-valid values: a valid prefix, then noise
  fc
    .tuple(
      fc.constantFrom(
        'sip:alice@atlanta.com;lr?x=y',
        '"A \\"B\\"" <sip:[2001:db8::1]:5060;transport=tcp>;tag=1',
        'SIP/2.0/UDP [::1]:5060;branch=z9hG4bK1;received=1.2.3.4;rport',
        '4711 INVITE',
        'multipart/mixed;boundary="x"',
        '18000 (x) ;duration=1',
      ),
      fc.nat(),
      fc.string({ unit: fc.constantFrom(...GRAMMAR_CHARS), maxLength: 10 }),
    )
    .map(([valid, cut, noise]) => {
      const at = cut % (valid.length + 1);
      return valid.slice(0, at) + noise + valid.slice(at);
    }),
);

describe('every field parser on any string', () => {
  for (const [name, parse] of PARSERS) {
    it(`${name} returns or throws a ParseError whose offset (bytes) and valueIndex (characters) name one place in the input`, () => {
      fc.assert(
        fc.property(anyString, (text) => {
          try {
            parse(text);
          } catch (error) {
            if (!(error instanceof ParseError)) throw error;
            const index = error.valueIndex;
            if (index === undefined) throw new Error('a field error without valueIndex');
            expect(Number.isInteger(index)).toBe(true);
            expect(index).toBeGreaterThanOrEqual(0);
            expect(index).toBeLessThanOrEqual(text.length);
            // The offset counts the UTF-8 bytes before that character, as on the wire.
            expect(error.offset).toBe(encoder.encode(text.slice(0, index)).length);
          }
        }),
        { numRuns: NUM_RUNS },
      );
    });
  }
});

describe('every field parser on a 1 MB hostile string', () => {
  // Linear by construction: each parser scans once. A quadratic re-scan of 1 MB would not
  // finish within the test timeout; no timing is asserted.
  const MB = 1 << 20;
  const hostile = [
    '<'.repeat(MB),
    '"'.repeat(MB),
    `"${'\\'.repeat(MB)}`,
    '('.repeat(MB),
    '['.repeat(MB),
    ':'.repeat(MB),
    ';a'.repeat(MB / 2),
    ';'.repeat(MB),
    '%'.repeat(MB),
    'a.'.repeat(MB / 2),
    `sip:${'a'.repeat(MB)}`,
    `sip:[${'1:'.repeat(MB / 2)}]`,
    `sip:a@b.com;${'x=1;'.repeat(MB / 4)}`,
    `SIP/2.0/UDP a.com${';b'.repeat(MB / 2)}`,
    '0'.repeat(MB),
    `1 ${'('.repeat(MB)}`,
    ' '.repeat(MB),
    `${'a,'.repeat(MB / 2)}`,
  ];
  for (const [name, parse] of PARSERS) {
    it(`${name} finishes on each`, () => {
      let outcomes = 0;
      for (const text of hostile) {
        try {
          parse(text);
        } catch (error) {
          if (!(error instanceof ParseError)) throw error;
        }
        outcomes++;
      }
      expect(outcomes).toBe(hostile.length);
    });
  }

  it('rejects the hostile inputs with the expected codes', () => {
    const codeOf = (run: () => unknown): string => {
      try {
        run();
      } catch (error) {
        if (error instanceof ParseError) return error.code;
      }
      return 'none';
    };
    expect(codeOf(() => splitHeaderList('<'.repeat(MB)))).toBe('INVALID_HEADER_VALUE');
    expect(codeOf(() => splitHeaderList('"'.repeat(MB + 1)))).toBe('INVALID_QUOTED_STRING');
    expect(codeOf(() => parseUri(`sip:[${'1:'.repeat(MB / 2)}]`))).toBe('INVALID_URI');
    expect(codeOf(() => parseDecimal('9'.repeat(MB), 255, 'x'))).toBe('NUMBER_OUT_OF_RANGE');
    expect(parseDecimal('0'.repeat(MB), 255, 'x')).toBe(0);
    expect(parseParameters(`;${'a'.repeat(MB)}`).size).toBe(1);
    expect(splitHeaderList(`${'a,'.repeat(MB / 2)}a`)).toHaveLength(MB / 2 + 1);
  });
});

// ---- generators of valid values ----

const ALPHA = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'];
const ALPHANUM = [...ALPHA, ...'0123456789'];
const TOKEN_CHARS = [...ALPHANUM, ...".!%*_+`'~-"];

const token = fc.string({ unit: fc.constantFrom(...TOKEN_CHARS), minLength: 1, maxLength: 12 });
/** Text without CR/LF: anything a quoted-string can carry. */
const quotable = fc
  .string({ unit: 'binary', maxLength: 20 })
  .map((text) => text.replace(/[\r\n]/g, ''));

const label = fc
  .tuple(
    fc.constantFrom(...ALPHANUM),
    fc.string({ unit: fc.constantFrom(...ALPHANUM, '-'), maxLength: 6 }),
    fc.constantFrom(...ALPHANUM),
  )
  .map(([first, middle, last]) => first + middle + last);
const hostname = fc
  .tuple(
    fc.array(label, { maxLength: 3 }),
    fc.constantFrom(...ALPHA),
    fc.string({ unit: fc.constantFrom(...ALPHANUM), maxLength: 5 }),
  )
  .map(([labels, top, rest]) => [...labels, top + rest].join('.').toLowerCase());
const ipv4 = fc
  .tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255))
  .map((parts) => parts.join('.'));
const ipv6 = fc.array(fc.nat(0xffff), { minLength: 8, maxLength: 8 }).chain((groups) =>
  fc.nat(7).chain((zeroStart) =>
    fc.nat(8 - zeroStart).map((zeroCount) => {
      const hex = groups.map((group) => group.toString(16));
      if (zeroCount < 2) return `[${hex.join(':')}]`;
      return `[${hex.slice(0, zeroStart).join(':')}::${hex.slice(zeroStart + zeroCount).join(':')}]`;
    }),
  ),
);
const host = fc.oneof(hostname, ipv4, ipv6);

/** Percent-encodes every character outside `keep` (as UTF-8). */
function escapeOutside(text: string, keep: RegExp): string {
  let out = '';
  for (const char of text) {
    if (keep.test(char)) out += char;
    else
      for (const byte of new TextEncoder().encode(char))
        out += `%${byte.toString(16).padStart(2, '0')}`;
  }
  return out;
}
const USER_KEEP = /^[A-Za-z0-9\-_.!~*'()&=+$,;?/]$/;
const PARAM_KEEP = /^[A-Za-z0-9\-_.!~*'()[\]/:&+$]$/;
const HEADER_KEEP = /^[A-Za-z0-9\-_.!~*'()[\]/?:+$]$/;
const anyText = fc.string({ unit: 'binary', minLength: 1, maxLength: 12 });

describe('round trips of generated values', () => {
  it('splitHeaderList returns the elements joined with commas', () => {
    const element = fc.oneof(
      token,
      quotable.map((text) => `${quoteString(text)} <sip:a,b@c.com>`),
      token.map((text) => `${text} (a, (b, c))`),
    );
    fc.assert(
      fc.property(
        fc.array(element, { minLength: 1, maxLength: 6 }),
        fc.constantFrom(',', ' , ', ',\t'),
        (elements, comma) => {
          expect(splitHeaderList(elements.join(comma))).toEqual(elements);
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it('parseQuotedString undoes quoteString', () => {
    fc.assert(
      fc.property(quotable, (text) => {
        expect(parseQuotedString(quoteString(text))).toBe(text);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('parseParameters returns the generated names (lower-cased) and values', () => {
    const value = fc.oneof(fc.constant(undefined), token, host, quotable);
    const params = fc.uniqueArray(fc.tuple(token, value), {
      selector: ([name]) => name.toLowerCase(),
      maxLength: 6,
    });
    fc.assert(
      fc.property(params, fc.constantFrom('', ' '), (entries, space) => {
        const text = entries
          .map(([name, v]) => {
            if (v === undefined) return `${space};${space}${name}`;
            const isPlain = /^[A-Za-z0-9\-.!%*_+`'~:[\]]+$/.test(v);
            return `${space};${name}${space}=${space}${isPlain ? v : quoteString(v)}`;
          })
          .join('');
        expect([...parseParameters(text)]).toEqual(
          entries.map(([name, v]) => [name.toLowerCase(), v]),
        );
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('parseUri returns the generated parts of a SIP URI', () => {
    const uriParts = fc.record({
      scheme: fc.constantFrom('sip', 'sips', 'SIP'),
      user: fc.option(anyText, { nil: undefined }),
      password: fc.option(fc.string({ unit: 'binary', maxLength: 8 }), { nil: undefined }),
      host,
      port: fc.option(fc.nat(65535), { nil: undefined }),
      params: fc.uniqueArray(fc.tuple(anyText, fc.option(anyText, { nil: undefined })), {
        selector: ([name]) => name.toLowerCase(),
        maxLength: 4,
      }),
      headers: fc.uniqueArray(fc.tuple(anyText, fc.string({ unit: 'binary', maxLength: 8 })), {
        selector: ([name]) => name,
        maxLength: 3,
      }),
    });
    fc.assert(
      fc.property(uriParts, (parts) => {
        let text = `${parts.scheme}:`;
        if (parts.user !== undefined) {
          text += escapeOutside(parts.user, USER_KEEP);
          if (parts.password !== undefined)
            text += `:${escapeOutside(parts.password, /^[A-Za-z0-9\-_.!~*'()&=+$,]$/)}`;
          text += '@';
        }
        text += parts.host;
        if (parts.port !== undefined) text += `:${parts.port}`;
        for (const [name, value] of parts.params) {
          text += `;${escapeOutside(name, PARAM_KEEP)}`;
          if (value !== undefined) text += `=${escapeOutside(value, PARAM_KEEP)}`;
        }
        parts.headers.forEach(([name, value], index) => {
          text += `${index === 0 ? '?' : '&'}${escapeOutside(name, HEADER_KEEP)}=${escapeOutside(value, HEADER_KEEP)}`;
        });
        const uri = parseUri(text);
        if (uri.kind !== 'sip') throw new Error('expected a SIP URI');
        expect(uri.scheme).toBe(parts.scheme.toLowerCase());
        expect(uri.user).toBe(parts.user);
        expect(uri.password).toBe(parts.user === undefined ? undefined : parts.password);
        expect(uri.host).toBe(parts.host);
        expect(uri.port).toBe(parts.port);
        expect([...uri.params]).toEqual(
          parts.params.map(([name, value]) => [name.toLowerCase(), value]),
        );
        expect([...uri.headers]).toEqual(parts.headers);
        expect(uri.raw).toBe(text);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('parseNameAddr returns the generated display name, URI and tag', () => {
    fc.assert(
      fc.property(
        fc.option(quotable, { nil: undefined }),
        host,
        fc.option(token, { nil: undefined }),
        fc.boolean(),
        (displayName, uriHost, tag, bracketed) => {
          const uri = `sip:user@${uriHost}`;
          const tagText = tag === undefined ? '' : `;tag=${tag}`;
          const value =
            displayName !== undefined
              ? `${quoteString(displayName)} <${uri}>${tagText}`
              : bracketed
                ? `<${uri}>${tagText}`
                : `${uri}${tagText}`;
          const result = parseNameAddr(value);
          expect(result).toEqual({
            wildcard: false,
            ...(displayName !== undefined && { displayName }),
            uri: parseUri(uri),
            uriText: uri,
            params: new Map(tag === undefined ? [] : [['tag', tag]]),
            ...(tag !== undefined && { tag }),
          });
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it('parseVia returns the generated sent-protocol, sent-by and branch', () => {
    fc.assert(
      fc.property(
        token,
        host,
        fc.option(fc.nat(65535), { nil: undefined }),
        token,
        fc.constantFrom('/', ' / '),
        (transport, sentBy, port, branch, slash) => {
          const value = `SIP${slash}2.0${slash}${transport} ${sentBy}${port === undefined ? '' : `:${port}`};branch=${branch}`;
          const via = parseVia(value);
          expect([
            via.protocolName,
            via.protocolVersion,
            via.transport,
            via.host,
            via.port,
            via.branch,
          ]).toEqual(['SIP', '2.0', transport.toUpperCase(), sentBy, port, branch]);
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it('parseCSeq returns the generated number and method', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        token,
        fc.nat(3),
        (seq, method, zeros) => {
          expect(parseCSeq(`${'0'.repeat(zeros)}${seq} ${method}`)).toEqual({ seq, method });
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it('parseDecimal is exact up to max and refuses anything above it', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 70n }), fc.nat(2), (value, zeros) => {
        const text = `${'0'.repeat(zeros)}${value}`;
        if (value <= 4294967295n)
          expect(parseDecimal(text, 4294967295, 'Expires')).toBe(Number(value));
        else expect(() => parseDecimal(text, 4294967295, 'Expires')).toThrow(/out of range/);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('parseOptionTags returns the generated tags', () => {
    fc.assert(
      fc.property(fc.array(token, { maxLength: 6 }), fc.constantFrom(',', ' , '), (tags, comma) => {
        expect(parseOptionTags(tags.join(comma))).toEqual(tags);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('parseContentType returns the generated type, subtype and parameters', () => {
    fc.assert(
      fc.property(
        token,
        token,
        fc.uniqueArray(fc.tuple(token, fc.oneof(token, quotable)), {
          selector: ([name]) => name.toLowerCase(),
          maxLength: 3,
        }),
        (type, subtype, params) => {
          const text = `${type}/${subtype}${params
            .map(
              ([name, value]) =>
                `;${name}=${/^[A-Za-z0-9\-.!%*_+`'~]+$/.test(value) ? value : quoteString(value)}`,
            )
            .join('')}`;
          expect(parseContentType(text)).toEqual({
            type: type.toLowerCase(),
            subtype: subtype.toLowerCase(),
            params: new Map(params.map(([name, value]) => [name.toLowerCase(), value])),
          });
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });
});
