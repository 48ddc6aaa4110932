/**
 * fast-check generators of valid SIP requests (RFC 3261 §8.1.1): every mandatory header, with
 * the variety a UAS meets on the wire — compact and odd-case names, Via values combined with
 * commas or in several fields, in-dialog and out-of-dialog To, Record-Route, Timestamp,
 * option-tags, a body. The requests are plain SipRequest objects.
 */
import fc from 'fast-check';
import type { HeaderField, SipRequest } from '../../src/message/index.js';

const encoder = new TextEncoder();

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const ALNUM = `${LOWER}${LOWER.toUpperCase()}0123456789`;

/** A token of alphanumerics and the other token characters (RFC 3261 §25.1). */
export const tokenArbitrary: fc.Arbitrary<string> = fc.string({
  unit: fc.constantFrom(...`${ALNUM}-.!%*_+\`'~`),
  minLength: 1,
  maxLength: 12,
});

const wordArbitrary = fc.string({ unit: fc.constantFrom(...ALNUM), minLength: 1, maxLength: 10 });

/** A host name such as `a1.example.com`, or an IPv4 address. */
export const hostArbitrary: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(wordArbitrary, fc.constantFrom('example.com', 'example.net', 'biloxi.example.com'))
    .map(([label, domain]) => `${label.toLowerCase()}.${domain}`),
  fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((parts) => parts.join('.')),
);

/** Methods a UAS meets, including an extension method. */
export const methodArbitrary: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.constantFrom(
      'INVITE',
      'OPTIONS',
      'REGISTER',
      'BYE',
      'CANCEL',
      'SUBSCRIBE',
      'NOTIFY',
      'REFER',
      'MESSAGE',
      'INFO',
      'UPDATE',
      'PRACK',
      'PUBLISH',
    ),
  },
  {
    weight: 1,
    arbitrary: fc.string({
      unit: fc.constantFrom(...LOWER.toUpperCase()),
      minLength: 3,
      maxLength: 9,
    }),
  },
);

/** A `sip:` URI (sometimes `sips:`) with an optional user and port. */
export const sipUriArbitrary: fc.Arbitrary<string> = fc
  .record({
    scheme: fc.constantFrom('sip', 'sip', 'sip', 'sips'),
    user: fc.option(wordArbitrary, { nil: undefined }),
    host: hostArbitrary,
    port: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
  })
  .map(
    ({ scheme, user, host, port }) =>
      `${scheme}:${user === undefined ? '' : `${user}@`}${host}${port === undefined ? '' : `:${port}`}`,
  );

/** A name-addr or addr-spec with an optional tag. */
function addressArbitrary(tag: fc.Arbitrary<string | undefined>): fc.Arbitrary<string> {
  return fc
    .record({
      display: fc.option(
        fc.oneof(
          wordArbitrary,
          wordArbitrary.map((word) => `"${word} ${word}"`),
        ),
        { nil: undefined },
      ),
      uri: sipUriArbitrary,
      angle: fc.boolean(),
      tag,
    })
    .map(({ display, uri, angle, tag: value }) => {
      const address = display !== undefined ? `${display} <${uri}>` : angle ? `<${uri}>` : uri;
      return value === undefined ? address : `${address};tag=${value}`;
    });
}

const viaValueArbitrary = fc
  .record({
    transport: fc.constantFrom('UDP', 'TCP', 'TLS', 'SCTP', 'WS'),
    host: hostArbitrary,
    branch: tokenArbitrary,
    received: fc.option(fc.constant(';received=192.0.2.1'), { nil: undefined }),
  })
  .map(
    ({ transport, host, branch, received }) =>
      `SIP/2.0/${transport} ${host};branch=z9hG4bK${branch}${received ?? ''}`,
  );

/** One or more Via values, each field holding one or several comma-combined values. */
const viaFieldsArbitrary: fc.Arbitrary<string[]> = fc
  .array(fc.array(viaValueArbitrary, { minLength: 1, maxLength: 2 }), {
    minLength: 1,
    maxLength: 3,
  })
  .map((fields) => fields.map((values) => values.join(', ')));

/** A header name spelled canonically, in another case, or in its compact form. */
function spelling(canonical: string, compact?: string): fc.Arbitrary<string> {
  const forms = [canonical, canonical.toLowerCase(), canonical.toUpperCase()];
  if (compact !== undefined) forms.push(compact);
  return fc.constantFrom(...forms);
}

const optionTagsArbitrary = fc
  .uniqueArray(
    fc.constantFrom(
      '100rel',
      'timer',
      'replaces',
      'path',
      'gruu',
      'outbound',
      'norefersub',
      'precondition',
    ),
    {
      maxLength: 3,
    },
  )
  .map((tags) => tags.join(', '));

interface Shape {
  readonly method: string;
  readonly uri: string;
  readonly via: string[];
  readonly to: string;
  readonly from: string;
  readonly callId: string;
  readonly cseq: number;
  readonly maxForwards: number;
  readonly recordRoute: string[];
  readonly timestamp: string | undefined;
  readonly supported: string | undefined;
  readonly require: string | undefined;
  readonly contact: string | undefined;
  readonly extra: [string, string][];
  readonly body: string | undefined;
  readonly names: Readonly<Record<string, string>>;
}

/**
 * Valid requests: every mandatory header once, the CSeq method equal to the method, values
 * within their ranges, a Content-Type with any body, no Content-Length (serialize computes it).
 */
export const requestArbitrary: fc.Arbitrary<SipRequest> = fc
  .record<Shape>({
    method: methodArbitrary,
    uri: sipUriArbitrary,
    via: viaFieldsArbitrary,
    to: addressArbitrary(fc.option(tokenArbitrary, { nil: undefined, freq: 4 })),
    from: addressArbitrary(tokenArbitrary),
    callId: fc
      .tuple(wordArbitrary, fc.option(hostArbitrary, { nil: undefined }))
      .map(([id, host]) => (host === undefined ? id : `${id}@${host}`)),
    cseq: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    maxForwards: fc.integer({ min: 0, max: 255 }),
    recordRoute: fc.array(
      hostArbitrary.map((host) => `<sip:${host};lr>`),
      { maxLength: 3 },
    ),
    timestamp: fc.option(
      fc.tuple(fc.nat(99999), fc.nat(999)).map(([a, b]) => `${a}.${b}`),
      { nil: undefined },
    ),
    supported: fc.option(optionTagsArbitrary, { nil: undefined }),
    require: fc.option(
      optionTagsArbitrary.filter((tags) => tags !== ''),
      { nil: undefined, freq: 4 },
    ),
    contact: fc.option(
      sipUriArbitrary.map((uri) => `<${uri}>`),
      { nil: undefined },
    ),
    extra: fc.uniqueArray(
      fc.constantFrom<[string, string]>(
        ['Subject', 'lunch?'],
        ['User-Agent', 'softphone/1.0 (test)'],
        ['X-Custom', 'a, b;c=d'],
        ['Accept', 'application/sdp, text/plain'],
        ['Route', '<sip:p.example.com;lr>'],
        ['Allow', 'INVITE, ACK, CANCEL, BYE, OPTIONS'],
        ['Expires', '3600'],
        ['Recv-Info', 'foo'],
      ),
      { maxLength: 3, selector: ([name]) => name },
    ),
    body: fc.option(
      fc.string({ maxLength: 40 }).filter((text) => text !== ''),
      { nil: undefined, freq: 3 },
    ),
    names: fc.record({
      via: spelling('Via', 'v'),
      to: spelling('To', 't'),
      from: spelling('From', 'f'),
      callId: spelling('Call-ID', 'i'),
      cseq: spelling('CSeq'),
      contact: spelling('Contact', 'm'),
    }),
  })
  .map((shape) => {
    const headers: HeaderField[] = [];
    const add = (name: string, value: string) => headers.push({ name, value });
    for (const value of shape.via) add(shape.names['via'] ?? 'Via', value);
    add('Max-Forwards', String(shape.maxForwards));
    for (const value of shape.recordRoute) add('Record-Route', value);
    add(shape.names['to'] ?? 'To', shape.to);
    add(shape.names['from'] ?? 'From', shape.from);
    add(shape.names['callId'] ?? 'Call-ID', shape.callId);
    add(shape.names['cseq'] ?? 'CSeq', `${shape.cseq} ${shape.method}`);
    if (shape.timestamp !== undefined) add('Timestamp', shape.timestamp);
    if (shape.supported !== undefined) add('Supported', shape.supported);
    if (shape.require !== undefined) add('Require', shape.require);
    if (shape.contact !== undefined) add(shape.names['contact'] ?? 'Contact', shape.contact);
    for (const [name, value] of shape.extra) add(name, value);
    if (shape.body !== undefined) add('Content-Type', 'text/plain;charset=utf-8');
    return {
      type: 'request',
      method: shape.method,
      uri: shape.uri,
      version: 'SIP/2.0',
      headers,
      body: shape.body === undefined ? new Uint8Array(0) : encoder.encode(shape.body),
    } satisfies SipRequest;
  });
