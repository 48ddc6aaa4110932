/**
 * Every code of the table × any valid request (generated, and every valid request of the
 * shared corpora): buildResponse either throws a BuildError that names a rule of that code, or
 * returns a response that validate accepts against its request (its SHOULD issues are exactly
 * the builder's warnings) and that parses back to the same message after serialize.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { rulesFor, statusCodes } from '../../src/codes/index.js';
import {
  BuildError,
  type BuildResponseOptions,
  buildResponse,
  type Issue,
  type SipRequest,
  type SipResponse,
  serialize,
  validate,
} from '../../src/message/index.js';
import { parseDatagram } from '../../src/parse/index.js';
import { requestArbitrary } from '../arbitraries/requests.js';
import { readCorpus } from '../helpers/corpus.js';
import { sharedAvailable } from '../helpers/shared.js';

/** Registered codes, plus unregistered ones of each class (built with a caller phrase). */
const CODES: readonly number[] = [
  ...statusCodes.map((entry) => entry.code),
  150,
  299,
  399,
  499,
  599,
  699,
];

/** A value for each header a MUST rule may ask for, so a retry can satisfy it. */
const FILLERS: Readonly<Record<string, (options: BuildResponseOptions) => BuildResponseOptions>> = {
  Contact: (options) => ({ ...options, contact: '<sips:uas@192.0.2.7>;expires=60' }),
  Allow: (options) => ({ ...options, allow: ['INVITE', 'ACK', 'CANCEL', 'BYE', 'OPTIONS'] }),
  Unsupported: (options) => withHeader(options, 'Unsupported', 'foo'),
  Require: (options) => withHeader(options, 'Require', 'foo'),
  RSeq: (options) => withHeader(options, 'RSeq', '1'),
  Expires: (options) => withHeader(options, 'Expires', '600'),
  'SIP-ETag': (options) => withHeader(options, 'SIP-ETag', 'dx200xyz'),
  'Min-SE': (options) => withHeader(options, 'Min-SE', '90'),
  'Min-Expires': (options) => withHeader(options, 'Min-Expires', '3600'),
  'WWW-Authenticate': (options) =>
    withHeader(options, 'WWW-Authenticate', 'Digest realm="a.example.com", nonce="8f2a"'),
  'Proxy-Authenticate': (options) =>
    withHeader(options, 'Proxy-Authenticate', 'Digest realm="a.example.com", nonce="8f2a"'),
  'Geolocation-Error': (options) => withHeader(options, 'Geolocation-Error', '100'),
  'AlertMsg-Error': (options) => withHeader(options, 'AlertMsg-Error', '100'),
  'Recv-Info': (options) => withHeader(options, 'Recv-Info', 'foo'),
  'Security-Server': (options) => withHeader(options, 'Security-Server', 'digest'),
  'Allow-Events': (options) => withHeader(options, 'Allow-Events', 'presence'),
  Reason: (options) => withHeader(options, 'Reason', 'SIP;cause=486'),
};

function withHeader(
  options: BuildResponseOptions,
  name: string,
  value: string,
): BuildResponseOptions {
  return { ...options, headers: { ...options.headers, [name]: value } };
}

const RULE_ERRORS = ['MISSING_REQUIRED_HEADER', 'FORBIDDEN_HEADER', 'HEADER_RULE_VIOLATED'];

/** `severity code header: message` of each issue, for comparing lists. */
function show(issues: readonly Issue[]): string[] {
  return issues.map(
    (issue) => `${issue.severity} ${issue.code} ${issue.header ?? ''}: ${issue.message}`,
  );
}

/**
 * Builds the response, supplying each header a MUST rule asks for and retrying, and checks
 * each refusal on the way: it names a rule of the code.
 * @returns the response and warnings, or the last BuildError
 */
function buildSupplied(
  request: SipRequest,
  code: number,
): { response: SipResponse; warnings: readonly Issue[] } | BuildError {
  let options: BuildResponseOptions = {};
  if (statusCodes.every((entry) => entry.code !== code))
    options = { ...options, reason: 'Unregistered' };
  for (let attempt = 0; attempt < 12; attempt++) {
    try {
      return buildResponse(request, code, options);
    } catch (error) {
      if (!(error instanceof BuildError)) throw error;
      expect(RULE_ERRORS, error.message).toContain(error.code);
      expect(error.statusCode).toBe(code);
      expect(rulesFor(code)).toContain(error.rule);
      expect(error.header).toBe(error.rule?.header);
      const fill =
        error.code === 'MISSING_REQUIRED_HEADER' ? FILLERS[error.header ?? ''] : undefined;
      if (fill === undefined) return error;
      const next = fill(options);
      if (JSON.stringify(next) === JSON.stringify(options)) return error;
      options = next;
    }
  }
  throw new Error(`${code}: still refused after 12 attempts`);
}

/** The fields of a response as a parser reports them, without Content-Length. */
function comparable(response: SipResponse): unknown {
  return {
    status: response.status,
    reason: response.reason,
    version: response.version,
    headers: response.headers
      .filter((field) => field.name !== 'Content-Length')
      .map((field) => ({ name: field.name, value: field.value })),
    body: [...response.body],
  };
}

function checkResponse(request: SipRequest, code: number): void {
  const built = buildSupplied(request, code);
  if (built instanceof BuildError) return;
  const { response, warnings } = built;
  const issues = validate(response, { request, reportUndecidable: true });
  expect(
    issues.filter((issue) => issue.severity === 'MUST' && issue.code !== 'UNDECIDABLE_RULE'),
  ).toEqual([]);
  expect(show(issues)).toEqual(show(warnings));
  const parsed = parseDatagram(serialize(response));
  expect(parsed.type).toBe('response');
  expect(comparable(parsed as SipResponse)).toEqual(comparable(response));
  const lengths = parsed.headers
    .filter((field) => field.name === 'Content-Length')
    .map((field) => field.value);
  expect(lengths).toEqual([String(response.body.byteLength)]);
}

describe('buildResponse × every code × generated requests', () => {
  test.prop([requestArbitrary, fc.constantFrom(...CODES)], { numRuns: 400 })(
    'refuses with a rule of the code, or builds a response validate accepts and the parser reads back',
    (request, code) => {
      expect(validate(request).filter((issue) => issue.severity === 'MUST')).toEqual([]);
      checkResponse(request, code);
    },
  );

  test.prop([requestArbitrary], { numRuns: 30 })('covers every code for one request', (request) => {
    for (const code of CODES) checkResponse(request, code);
  });
});

const corpusAvailable = sharedAvailable('corpus');

describe.skipIf(!corpusAvailable)('buildResponse × every code × corpus requests', () => {
  // vitest still runs a skipped suite's body to collect it: read nothing when the folder is absent
  const files = corpusAvailable
    ? [
        ...readCorpus('corpus/real', '.sip'),
        ...readCorpus('corpus/rfc4475', '.dat'),
        ...readCorpus('corpus/rfc5118/wire', '.sip'),
      ]
    : [];
  const requests: { name: string; request: SipRequest }[] = [];
  for (const file of files) {
    try {
      const message = parseDatagram(file.bytes);
      if (message.type !== 'request') continue;
      if (validate(message).some((issue) => issue.severity === 'MUST')) continue;
      requests.push({ name: file.name, request: message });
    } catch {
      // invalid syntax: not a request to answer with anything but the parser's error
    }
  }

  it('finds valid requests to answer', () => {
    expect(requests.length).toBeGreaterThan(45);
  });

  it.each(requests.map((entry) => [entry.name, entry.request] as const))(
    'answers %s with every code',
    (_name, request) => {
      for (const code of CODES) checkResponse(request, code);
    },
  );
});
