/**
 * buildResponse reads some facts from the parser's requests instead of working them out
 * (request-facts.ts): the header id of every field and the To's tag. Both paths must give the
 * same responses, warnings and errors, and a caller's change to a parsed request's fields
 * must be seen.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { headerIds, requiresSipsContact } from '../../src/message/dialog.js';
import {
  type BuildResponseOptions,
  type BuiltResponse,
  buildResponse,
  type HeaderField,
  type SipRequest,
  serializeToString,
} from '../../src/message/index.js';
import { mayRequireSipsContact, requestHeaderIds } from '../../src/message/request-facts.js';
import { ParsedRequest, parseMessage } from '../../src/parse/index.js';
import { requestArbitrary } from '../arbitraries/requests.js';

function parseRequest(lines: readonly string[]): ParsedRequest {
  const message = parseMessage(`${lines.join('\r\n')}\r\n\r\n`);
  if (!(message instanceof ParsedRequest)) throw new Error('expected a request');
  return message;
}

/** The same request as plain data, without the parser's facts. */
function plainCopy(request: SipRequest): SipRequest {
  return {
    type: 'request',
    method: request.method,
    uri: request.uri,
    version: request.version,
    headers: request.headers.map((field) => ({ name: field.name, value: field.value })),
    body: request.body,
  };
}

type Outcome =
  | { readonly built: BuiltResponse; readonly wire: string }
  | { readonly error: unknown };

function outcome(request: SipRequest, code: number, options?: BuildResponseOptions): Outcome {
  try {
    const built = buildResponse(request, code, options);
    return { built, wire: serializeToString(built.response) };
  } catch (error) {
    return { error };
  }
}

const REQUEST_LINES = [
  'INVITE sip:bob@biloxi.example.com SIP/2.0',
  'v: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds',
  'Max-Forwards: 70',
  't: Bob <sip:bob@biloxi.example.com>',
  'FROM: Alice <sip:alice@atlanta.example.com>;tag=1928301774',
  'Call-ID: a84b4c76e66710@pc33.atlanta.example.com',
  'CSeq: 314159 INVITE',
  'X-Trace: 1',
  'Record-Route: <sip:p1.example.com;lr>',
  'Timestamp: 54',
  'Content-Length: 0',
];

function withLine(name: string, line: string | undefined): string[] {
  const lines = REQUEST_LINES.filter((text) => !text.toLowerCase().startsWith(`${name}:`));
  if (line !== undefined) lines.splice(3, 0, line);
  return lines;
}

const REQUESTS: Record<string, readonly string[]> = {
  'an out-of-dialog INVITE': REQUEST_LINES,
  'a To with a tag': withLine('t', 't: <sip:bob@biloxi.example.com>;tag=abc'),
  'a To that does not parse': withLine('t', 't: <sip:bob@biloxi.example.com'),
  'a From that does not parse': withLine('from', 'From: <sip:alice@atlanta.example.com;tag=1'),
  'a From without a tag': withLine('from', 'From: <sip:alice@atlanta.example.com>'),
  'a wildcard To': withLine('t', 't: *'),
  'no To': withLine('t', undefined),
  'two To fields': [...REQUEST_LINES, 'To: <sip:carol@example.com>;tag=x'],
  'no Via and no CSeq': REQUEST_LINES.filter((line) => !/^(v|CSeq):/.test(line)),
};

const CASES: readonly [number, BuildResponseOptions | undefined][] = [
  [486, { toTag: 'b3nch7ag' }],
  [486, undefined],
  [400, undefined],
  [100, undefined],
  [100, { timestampDelay: 0.5 }],
  [180, { toTag: 't1', contact: '<sip:bob@192.0.2.4>' }],
  [200, { toTag: 't1', contact: '<sip:bob@192.0.2.4>', allow: ['INVITE', 'ACK', 'CANCEL'] }],
  [200, { toTag: 'abc', contact: '<sip:bob@192.0.2.4>' }],
  [200, { toTag: 'other', contact: '<sip:bob@192.0.2.4>' }],
];

/** Derived tags are the same from both paths, so everything is compared, tags included. */
function comparable(result: Outcome): unknown {
  if ('error' in result) return result;
  return {
    headers: result.built.response.headers,
    warnings: result.built.warnings,
    toTag: result.built.toTag,
    wire: result.wire,
  };
}

describe("buildResponse gives the same answer from the parser's facts as from plain data", () => {
  for (const [label, lines] of Object.entries(REQUESTS)) {
    for (const [code, options] of CASES) {
      it(`${label}, ${code} ${JSON.stringify(options ?? {})}`, () => {
        const parsed = parseRequest(lines);
        const plain = plainCopy(parsed);
        const expected = comparable(outcome(plain, code, options));
        // Twice: the second build reads what the first one left with the request
        expect(comparable(outcome(parsed, code, options))).toEqual(expected);
        expect(comparable(outcome(parsed, code, options))).toEqual(expected);
      });
    }
  }

  it('refuses all but 100 and 400 to a request whose To or From does not parse', () => {
    for (const label of ['a To that does not parse', 'a From that does not parse']) {
      const parsed = parseRequest(REQUESTS[label] ?? []);
      for (const code of [180, 200, 486]) {
        const result = outcome(parsed, code, { toTag: 'x', contact: '<sip:b@192.0.2.4>' });
        expect('error' in result && (result.error as { code?: string }).code).toBe(
          'INVALID_REQUEST_HEADER',
        );
      }
      expect('built' in outcome(parsed, 400)).toBe(true);
      expect('built' in outcome(parsed, 100)).toBe(true);
    }
  });

  it('warns of a To that does not parse in a 400, and adds no tag', () => {
    const parsed = parseRequest(REQUESTS['a To that does not parse'] ?? []);
    for (let round = 0; round < 2; round++) {
      const { response, warnings, toTag } = buildResponse(parsed, 400);
      expect(toTag).toBeUndefined();
      expect(response.headers.find((field) => field.name === 'To')?.value).toBe(
        '<sip:bob@biloxi.example.com',
      );
      expect(warnings.map((issue) => [issue.code, issue.header])).toContainEqual([
        'INVALID_HEADER_VALUE',
        'To',
      ]);
    }
  });
});

describe("the parser's header ids", () => {
  it('are the ids read from the names', () => {
    for (const lines of Object.values(REQUESTS)) {
      const parsed = parseRequest(lines);
      expect(requestHeaderIds(parsed)).toEqual(headerIds(parsed.headers));
      expect(requestHeaderIds(plainCopy(parsed))).toEqual(headerIds(parsed.headers));
    }
  });

  it('are not used once a caller changed a name or added a field', () => {
    const renamed = parseRequest(REQUEST_LINES);
    const fields = renamed.headers as HeaderField[];
    requestHeaderIds(renamed);
    fields[1] = { name: 'Route', value: '<sip:p2.example.com;lr>' };
    expect(requestHeaderIds(renamed)).toEqual(headerIds(fields));
    expect(buildResponse(renamed, 486).response.headers.some((f) => f.name === 'Route')).toBe(
      false,
    );
    expect(comparable(outcome(renamed, 486, { toTag: 'a' }))).toEqual(
      comparable(outcome(plainCopy(renamed), 486, { toTag: 'a' })),
    );

    const grown = parseRequest(REQUEST_LINES);
    requestHeaderIds(grown);
    (grown.headers as HeaderField[]).push({ name: 'Via', value: 'SIP/2.0/UDP b;branch=z9hG4bK2' });
    expect(requestHeaderIds(grown)).toEqual(headerIds(grown.headers));
    const vias = buildResponse(grown, 486).response.headers.filter((f) => f.name === 'Via');
    expect(vias).toHaveLength(2);
  });

  it("follow a caller's change of the To value", () => {
    const parsed = parseRequest(REQUEST_LINES);
    expect(buildResponse(parsed, 486, { toTag: 'a' }).warnings).toEqual([]);
    const fields = parsed.headers as HeaderField[];
    const at = fields.findIndex((field) => field.name === 'To');
    fields[at] = { name: 'To', value: '<sip:bob@biloxi.example.com>;tag=old' };
    const { response } = buildResponse(parsed, 486);
    expect(response.headers.find((field) => field.name === 'To')?.value).toBe(
      '<sip:bob@biloxi.example.com>;tag=old',
    );
  });
});

describe('mayRequireSipsContact', () => {
  const base = ['Via: SIP/2.0/UDP a;branch=z9hG4bK1', 'To: <sip:b@b>', 'From: <sip:a@a>;tag=1'];
  const request = (uri: string, lines: readonly string[]): SipRequest => ({
    type: 'request',
    method: 'INVITE',
    uri,
    version: 'SIP/2.0',
    headers: [...base, ...lines].map((line) => {
      const colon = line.indexOf(':');
      return { name: line.slice(0, colon), value: line.slice(colon + 2) };
    }),
    body: new Uint8Array(0),
  });
  const cases: [string, string, string[]][] = [
    ['a sips: Request-URI', 'sips:b@b', []],
    ['an upper-case SIPS: Record-Route', 'sip:b@b', ['Record-Route: <SIPS:p.example.com;lr>']],
    ['a sips: Contact without Record-Route', 'sip:b@b', ['Contact: <sips:a@a>']],
    ['a sips: second Record-Route', 'sip:b@b', ['Record-Route: <sip:p;lr>, <sips:q;lr>']],
    ['nothing SIPS', 'sip:b@b', ['Record-Route: <sip:p;lr>', 'Contact: <sip:a@a>']],
    ['a malformed Record-Route', 'sip:b@b', ['Record-Route: <sip:p;lr']],
  ];
  it.each(cases)('never says no where requiresSipsContact says yes: %s', (_, uri, lines) => {
    const message = request(uri, lines);
    const may = mayRequireSipsContact(message, headerIds(message.headers));
    if (!may) expect(requiresSipsContact(message)).toBe(false);
    expect(may).toBe(/sips:/i.test([uri, ...lines].join('\n')));
  });

  it('never says no where requiresSipsContact says yes, on generated requests', () => {
    fc.assert(
      fc.property(requestArbitrary, (message) => {
        if (!mayRequireSipsContact(message, headerIds(message.headers))) {
          expect(requiresSipsContact(message)).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });
});
