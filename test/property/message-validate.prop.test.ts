/**
 * validate never throws for a message of the SipMessage shape, whatever its header values
 * hold, and evaluates the table rules of any code without throwing either.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { statusCodes } from '../../src/codes/index.js';
import {
  type HeaderField,
  ISSUE_CODES,
  type SipResponse,
  validate,
} from '../../src/message/index.js';
import { requestArbitrary } from '../arbitraries/requests.js';

const NAMES = [
  'Via',
  'v',
  'To',
  'From',
  'Call-ID',
  'CSeq',
  'Max-Forwards',
  'Content-Length',
  'l',
  'Content-Type',
  'Contact',
  'Record-Route',
  'Route',
  'Require',
  'Supported',
  'Unsupported',
  'Allow',
  'Expires',
  'Retry-After',
  'RSeq',
  'Session-Expires',
  'Call-Info',
  'Timestamp',
  'Recv-Info',
  'X-Other',
];

const valueArbitrary = fc.oneof(
  fc.string({ unit: fc.constantFrom(...'<>";,=@: \t\\()sip1aZ%*'), maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
);

const fieldsArbitrary: fc.Arbitrary<HeaderField[]> = fc.array(
  fc.record({ name: fc.constantFrom(...NAMES), value: valueArbitrary }),
  { maxLength: 12 },
);

describe('validate never throws', () => {
  test.prop(
    [
      fc.constantFrom(...statusCodes.map((entry) => entry.code), 150, 499, 0, 700),
      fieldsArbitrary,
      requestArbitrary,
      fc.boolean(),
    ],
    {
      numRuns: 400,
    },
  )(
    'on a response with arbitrary header values, with or without its request',
    (status, headers, request, withRequest) => {
      const response: SipResponse = {
        type: 'response',
        version: 'SIP/2.0',
        status,
        reason: 'x',
        headers,
        body: new Uint8Array(0),
      };
      const issues = validate(response, withRequest ? { request, reportUndecidable: true } : {});
      for (const issue of issues) expect(ISSUE_CODES).toContain(issue.code);
    },
  );

  test.prop([requestArbitrary, fieldsArbitrary], { numRuns: 200 })(
    'on a request with arbitrary extra header values',
    (request, extra) => {
      const issues = validate({ ...request, headers: [...request.headers, ...extra] });
      for (const issue of issues) expect(ISSUE_CODES).toContain(issue.code);
    },
  );
});
