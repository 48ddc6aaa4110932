/**
 * Injection: arbitrary Unicode and control characters in every caller-supplied field of
 * buildResponse and serialize. Each input is either refused with the typed error naming that
 * field, or written so that a stream parser reading the bytes finds exactly one message, with
 * exactly the intended start line, fields and body: never one field more, never a second
 * message. test/property/message-serialize.prop.test.ts covers a small hostile alphabet with
 * parseDatagram; this file adds the whole of Unicode (C0 and C1 controls, NEL, LS/PS, BOM,
 * lone surrogates), the stream parser (which would see a message smuggled after the body that
 * a datagram parser ignores), the version, the body, compact names, and the builder's
 * supported / allow / contact / toTag helpers, checking each value arrives verbatim.
 */
import { fc, test } from '@fast-check/vitest';
import { afterAll, describe, expect } from 'vitest';
import {
  BuildError,
  type BuildResponseOptions,
  buildResponse,
  canonicalHeaderName,
  type HeaderField,
  SerializeError,
  type SipMessage,
  type SipRequest,
  type SipResponse,
  serialize,
} from '../../src/message/index.js';
import { createParser, type ParsedMessage, parseDatagram } from '../../src/parse/index.js';
import { makeRequest } from '../message/support.js';

/** Characters that end lines or fool parsers, in every encoding form that matters. */
const SPECIAL = [
  '\r',
  '\n',
  '\r\n',
  '\r\n ',
  '\0',
  '\t',
  '\v',
  '\f',
  '\x1b',
  '\x7f',
  '\x85', // NEL: a line break to some Unicode-aware splitters
  '\u2028',
  '\u2029',
  '\ufeff',
  '\ufffd',
  '\ud800', // lone surrogates: no UTF-8 form
  '\udfff',
  '"',
  '\\',
  ':',
  ';',
  ',',
  '<',
  '>',
  '=',
  '@',
  '%',
  ' ',
  '\r\nVia: SIP/2.0/UDP evil.example.com',
  '\r\n\r\nINVITE sip:x@evil SIP/2.0\r\n',
  '\nContent-Length: 0',
];

/** Any text: specials, any code point, any UTF-16 code unit, and plain characters. */
const anyText: fc.Arbitrary<string> = fc.string({
  unit: fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...SPECIAL) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
    {
      weight: 1,
      arbitrary: fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit)),
    },
    { weight: 3, arbitrary: fc.constantFrom('a', 'Z', '0', '7', '-', '.', '!') },
  ),
  maxLength: 20,
});

/** Short tokens (RFC 3261 §25.1), so that the fields that must be tokens are written too. */
const tokenish: fc.Arbitrary<string> = fc.string({
  unit: fc.constantFrom(..."abcXYZ019-.!%*_+`'~"),
  minLength: 1,
  maxLength: 8,
});

/** Mostly anything, often a token. */
const textOrToken: fc.Arbitrary<string> = fc.oneof(anyText, tokenish);

const RUNS = { numRuns: 150 };
const encoder = new TextEncoder();

/**
 * How often each property wrote a message and how often it refused: both must happen, or the
 * property tested only one side of its claim.
 */
const outcomes = new Map<string, { written: number; refused: number }>();

function count(field: string, written: boolean): void {
  const entry = outcomes.get(field) ?? { written: 0, refused: 0 };
  if (written) entry.written++;
  else entry.refused++;
  outcomes.set(field, entry);
}

afterAll(() => {
  if (process.env['SHOW_OUTCOMES'] === '1') console.log(outcomes);
  for (const [field, { written, refused }] of outcomes) {
    expect(written, `${field}: never written`).toBeGreaterThan(0);
    expect(refused, `${field}: never refused`).toBeGreaterThan(0);
  }
  expect(outcomes.size).toBe(16);
});

/**
 * Reads serialized bytes as a TCP peer would: exactly one message must come out, ending at the
 * last byte, and parseDatagram must read the same one.
 */
function readBack(bytes: Uint8Array): ParsedMessage {
  const size = bytes.length + 2;
  const limits = {
    maxStartLineBytes: size,
    maxHeaderSectionBytes: size,
    maxHeaderLineBytes: size,
    maxHeaderCount: 1000,
    maxBodyBytes: size,
  };
  let keepAlives = 0;
  const parser = createParser({ limits, onKeepAlive: () => keepAlives++ });
  const messages = parser.push(bytes);
  parser.end();
  expect(messages).toHaveLength(1);
  expect(keepAlives).toBe(0);
  const [message] = messages as [ParsedMessage];
  expect(message.raw.length).toBe(bytes.length);
  expect(view(parseDatagram(bytes, { limits }))).toEqual(view(message));
  return message;
}

/** What a reader must see: the start line, every field but Content-Length, the body. */
function view(message: SipMessage): unknown {
  const headers = message.headers
    .filter((field) => canonicalHeaderName(field.name) !== 'Content-Length')
    .map((field) => [canonicalHeaderName(field.name), field.value]);
  const start =
    message.type === 'request'
      ? [message.method, message.uri, message.version.toUpperCase()]
      : [message.version.toUpperCase(), message.status, message.reason];
  return { start, headers, body: [...message.body] };
}

/** serialize refuses with SerializeError on `part`, or the bytes read back as exactly `message`. */
function writesExactlyOrRefuses(
  message: SipMessage,
  part: SerializeError['part'],
  compact = false,
): void {
  let bytes: Uint8Array;
  try {
    bytes = serialize(message, { compact });
  } catch (error) {
    expect(error).toBeInstanceOf(SerializeError);
    expect((error as SerializeError).part).toBe(part);
    count(`serialize ${part}`, false);
    return;
  }
  count(`serialize ${part}`, true);
  expect(view(readBack(bytes))).toEqual(view(message));
}

const BASE: readonly HeaderField[] = [
  { name: 'Via', value: 'SIP/2.0/UDP a.example.com;branch=z9hG4bK1' },
  { name: 'From', value: '<sip:a@a.example.com>;tag=1' },
  { name: 'To', value: '<sip:b@b.example.com>;tag=2' },
  { name: 'Call-ID', value: 'c1' },
  { name: 'CSeq', value: '1 INVITE' },
];

function response(overrides: Partial<SipResponse>): SipResponse {
  return {
    type: 'response',
    version: 'SIP/2.0',
    status: 486,
    reason: 'Busy Here',
    headers: BASE,
    body: new Uint8Array(0),
    ...overrides,
  };
}

function request(overrides: Partial<SipRequest>): SipRequest {
  return { ...makeRequest('OPTIONS'), ...overrides };
}

describe('serialize with arbitrary Unicode and controls', () => {
  test.prop([textOrToken], RUNS)('in a method', (method) => {
    writesExactlyOrRefuses(request({ method }), 'method');
  });

  const uriText = fc.oneof(
    anyText,
    textOrToken.map((text) => `sip:${text}`),
    textOrToken.map((text) => `${text}:x`),
  );

  test.prop([uriText], RUNS)('in a whole Request-URI, scheme included', (uri) => {
    writesExactlyOrRefuses(request({ uri }), 'uri');
  });

  test.prop([anyText], RUNS)('in a SIP-Version', (version) => {
    writesExactlyOrRefuses(response({ version }), 'version');
    writesExactlyOrRefuses(request({ version: `SIP/2.0${version}` }), 'version');
  });

  test.prop([anyText], RUNS)('in a reason phrase', (reason) => {
    writesExactlyOrRefuses(response({ reason }), 'reason');
  });

  test.prop([textOrToken, fc.boolean()], RUNS)(
    'in a header name, long or compact',
    (name, compact) => {
      writesExactlyOrRefuses(
        response({ headers: [...BASE, { name, value: 'x' }] }),
        'headerName',
        compact,
      );
    },
  );

  test.prop([anyText, fc.boolean()], RUNS)(
    'in a header value, long or compact',
    (value, compact) => {
      writesExactlyOrRefuses(
        response({ headers: [...BASE, { name: 'Subject', value }] }),
        'headerValue',
        compact,
      );
    },
  );

  test.prop([fc.array(fc.tuple(anyText, anyText), { maxLength: 4 })], RUNS)(
    'in several headers at once',
    (pairs) => {
      const headers = [...BASE, ...pairs.map(([name, value]) => ({ name: `X-${name}`, value }))];
      let bytes: Uint8Array;
      try {
        bytes = serialize(response({ headers }));
      } catch (error) {
        expect(error).toBeInstanceOf(SerializeError);
        expect(['headerName', 'headerValue']).toContain((error as SerializeError).part);
        return;
      }
      expect(view(readBack(bytes))).toEqual(view(response({ headers })));
    },
  );

  test.prop(
    [
      fc.oneof(
        anyText.map((text) => encoder.encode(text)),
        fc.uint8Array({ maxLength: 64 }),
      ),
    ],
    RUNS,
  )('in a body: bytes that look like headers or a second message stay body bytes', (body) => {
    const message = response({
      headers: [...BASE, { name: 'Content-Type', value: 'text/plain' }],
      body,
    });
    const parsed = readBack(serialize(message));
    expect([...parsed.body]).toEqual([...body]);
    expect(parsed.contentLength).toBe(body.length);
  });

  test.prop(
    [fc.constantFrom('Content-Length', 'content-length', 'l', 'L', 'CONTENT-LENGTH'), anyText],
    RUNS,
  )('a caller-made Content-Length, in any spelling, is dropped and recomputed', (name, value) => {
    const body = encoder.encode('hello');
    const bytes = serialize(
      response({
        headers: [...BASE, { name, value }, { name: 'Content-Type', value: 'text/plain' }],
        body,
      }),
    );
    const parsed = readBack(bytes);
    expect(parsed.headers.filter((field) => field.name === 'Content-Length')).toEqual([
      { name: 'Content-Length', value: '5' },
    ]);
    expect([...parsed.body]).toEqual([...body]);
  });
});

describe('buildResponse with arbitrary Unicode and controls', () => {
  const INVITE = makeRequest('INVITE');

  /** Builds; a refusal must be a BuildError with one of `codes`. The response must read back exactly. */
  function buildOrRefuse(
    label: string,
    code: number,
    options: BuildResponseOptions,
    codes: readonly string[],
    from: SipRequest = INVITE,
  ): SipResponse | undefined {
    let built: SipResponse;
    try {
      built = buildResponse(from, code, options).response;
    } catch (error) {
      expect(error).toBeInstanceOf(BuildError);
      expect(codes).toContain((error as BuildError).code);
      if (label !== '') count(`buildResponse ${label}`, false);
      return undefined;
    }
    if (label !== '') count(`buildResponse ${label}`, true);
    expect(view(readBack(serialize(built)))).toEqual(view(built));
    return built;
  }

  /** What buildResponse must write for a value: the value without its surrounding SP / HTAB. */
  function trimmed(value: string): string {
    let start = 0;
    let end = value.length;
    while (start < end && (value[start] === ' ' || value[start] === '\t')) start++;
    while (end > start && (value[end - 1] === ' ' || value[end - 1] === '\t')) end--;
    return value.slice(start, end);
  }

  function values(message: SipMessage, name: string): string[] {
    return message.headers.filter((field) => field.name === name).map((field) => field.value);
  }

  test.prop([anyText], RUNS)('options.reason arrives verbatim or is refused', (reason) => {
    const built = buildOrRefuse('reason', 486, { reason }, ['INVALID_OPTION']);
    if (built !== undefined) expect(built.reason).toBe(reason);
  });

  test.prop([anyText], RUNS)('options.reason of an unregistered code too', (reason) => {
    const built = buildOrRefuse('reason of 499', 499, { reason }, ['INVALID_OPTION']);
    if (built !== undefined) expect(built.reason).toBe(reason);
  });

  test.prop([anyText], RUNS)('a header value arrives verbatim, once, or is refused', (value) => {
    const built = buildOrRefuse('header value', 486, { headers: { 'X-Note': value } }, [
      'INVALID_OPTION',
    ]);
    if (built !== undefined) expect(values(built, 'X-Note')).toEqual([trimmed(value)]);
  });

  test.prop([fc.array(anyText, { minLength: 1, maxLength: 3 })], RUNS)(
    'several values of a list header give exactly that many fields',
    (list) => {
      const built = buildOrRefuse('header values', 486, { headers: { Warning: list } }, [
        'INVALID_OPTION',
      ]);
      if (built !== undefined) expect(values(built, 'Warning')).toEqual(list.map(trimmed));
    },
  );

  test.prop([textOrToken], RUNS)('a header name adds exactly one field, or is refused', (name) => {
    const built = buildOrRefuse('header name', 486, { headers: { [name]: 'v' } }, [
      'INVALID_OPTION',
      'MANAGED_HEADER',
      'REQUEST_ONLY_HEADER',
    ]);
    if (built !== undefined) {
      expect(built.headers).toHaveLength(
        buildResponse(INVITE, 486, { toTag: 't' }).response.headers.length + 1,
      );
      expect(built.headers.at(-1)).toEqual({ name: canonicalHeaderName(name), value: 'v' });
    }
  });

  test.prop([textOrToken], RUNS)(
    'options.toTag becomes exactly the To tag, or is refused',
    (toTag) => {
      const built = buildOrRefuse('toTag', 486, { toTag }, ['INVALID_OPTION']);
      if (built !== undefined) {
        expect(values(built, 'To')).toEqual([`Bob <sip:bob@biloxi.example.com>;tag=${toTag}`]);
        expect(readBack(serialize(built)).to).toMatchObject({ tag: toTag });
      }
    },
  );

  test.prop([fc.array(textOrToken, { minLength: 1, maxLength: 2 })], RUNS)(
    'options.contact gives one Contact field per value, verbatim, or is refused',
    (users) => {
      const contact = users.map((user) => `<sip:${user}@example.com>`);
      const built = buildOrRefuse('contact', 200, { contact, toTag: 't' }, ['INVALID_OPTION']);
      if (built !== undefined) expect(values(built, 'Contact')).toEqual(contact.map(trimmed));
    },
  );

  const mediaType = fc.oneof(
    anyText,
    fc.tuple(textOrToken, textOrToken).map(([type, subtype]) => `${type}/${subtype}`),
  );

  test.prop([mediaType, anyText], RUNS)(
    'options.contentType and options.body arrive verbatim, or are refused',
    (contentType, body) => {
      const built = buildOrRefuse('contentType and body', 486, { contentType, body }, [
        'INVALID_OPTION',
        'MISSING_CONTENT_TYPE',
      ]);
      if (built !== undefined) {
        expect(values(built, 'Content-Type')).toEqual([trimmed(contentType)]);
        expect(readBack(serialize(built)).body).toEqual(encoder.encode(body));
      }
    },
  );

  test.prop([fc.array(anyText, { maxLength: 3 })], RUNS)(
    "options.supported lists the caller's tags and a 420's Unsupported, or is refused",
    (supported) => {
      const from = makeRequest('INVITE', undefined, [['Require', 'foo, bar']]);
      const built = buildOrRefuse(
        'supported',
        420,
        { supported },
        ['INVALID_OPTION', 'NO_UNSUPPORTED_OPTION_TAGS'],
        from,
      );
      if (built !== undefined) {
        expect(values(built, 'Supported')).toEqual([supported.join(', ')]);
        const known = new Set(supported.map((tag) => tag.toLowerCase()));
        expect(values(built, 'Unsupported')).toEqual([
          ['foo', 'bar'].filter((tag) => !known.has(tag)).join(', '),
        ]);
      }
    },
  );

  test.prop([fc.array(anyText, { maxLength: 4 })], RUNS)(
    'options.allow of a 405 lists exactly the methods given, or is refused',
    (allow) => {
      const built = buildOrRefuse('allow', 405, { allow }, [
        'INVALID_OPTION',
        'MISSING_REQUIRED_HEADER',
      ]);
      if (built !== undefined) expect(values(built, 'Allow')).toEqual([allow.join(', ')]);
    },
  );

  test.prop(
    [
      fc.record(
        {
          reason: anyText,
          headers: fc.dictionary(anyText, fc.oneof(anyText, fc.array(anyText, { maxLength: 2 })), {
            maxKeys: 3,
          }),
          contact: anyText,
          toTag: anyText,
          body: anyText,
          contentType: anyText,
          supported: fc.array(anyText, { maxLength: 2 }),
          allow: fc.array(anyText, { maxLength: 2 }),
        },
        { requiredKeys: [] },
      ),
      fc.constantFrom(180, 200, 302, 405, 420, 486, 603),
    ],
    RUNS,
  )('all options at once: a BuildError, or a response that reads back exactly', (options, code) => {
    // Not counted: with every option hostile at once, a refusal is the usual outcome.
    buildOrRefuse('', code, options, [
      'INVALID_OPTION',
      'MANAGED_HEADER',
      'REQUEST_ONLY_HEADER',
      'CONFLICTING_OPTIONS',
      'MISSING_CONTENT_TYPE',
      'MISSING_REQUIRED_HEADER',
      'FORBIDDEN_HEADER',
      'HEADER_RULE_VIOLATED',
      'NO_UNSUPPORTED_OPTION_TAGS',
      'EXTENSION_NOT_SUPPORTED',
    ]);
  });
});
