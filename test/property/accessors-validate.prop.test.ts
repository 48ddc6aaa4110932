/**
 * No accessor refuses what the validator accepts: whenever validate() reports no MUST issue
 * for a parsed message, every typed accessor of that message returns without throwing. Checked
 * over every corpus message (strict and interop profiles) and over mutants of them drawn by the
 * fuzz engine's mutation arbitrary. RFC 4475 escruri broke this once: `requestUri` threw
 * INVALID_REQUEST_URI while validate() called the message clean.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as lib from '../../src/index.js';
import { type Issue, validate } from '../../src/message/index.js';
import {
  type DatagramOptions,
  type ParsedMessage,
  ParseError,
  parseDatagram,
} from '../../src/parse/index.js';
import { createFuzzer, materialize } from '../fuzz/engine.mjs';
import { loadSeeds } from '../fuzz/seeds.mjs';
import { HEADER_ACCESSORS, QUICK_ACCESSORS } from '../helpers/accessors.mjs';
import { SHARED_DIR, sharedAvailable } from '../helpers/shared.js';

const START_GETTERS: Readonly<Record<ParsedMessage['type'], readonly string[]>> = {
  request: ['method', 'uri', 'version', 'requestUri'],
  response: ['status', 'reason', 'version'],
};

/** The accessors that throw on this message, as `name CODE`. */
function refusingAccessors(message: ParsedMessage): string[] {
  const failures: string[] = [];
  const names = [
    'headers',
    ...HEADER_ACCESSORS,
    ...QUICK_ACCESSORS,
    ...START_GETTERS[message.type],
  ];
  for (const name of names) {
    try {
      (message as unknown as Record<string, unknown>)[name];
    } catch (error) {
      if (!(error instanceof ParseError)) throw error;
      failures.push(`${name} ${error.code}`);
    }
  }
  return failures;
}

function mustIssues(issues: readonly Issue[]): string[] {
  return issues.filter((issue) => issue.severity === 'MUST').map((issue) => issue.code);
}

/**
 * The invariant on one input: returns 'clean' when it parsed with no MUST issue (and then
 * every accessor returned), 'flagged' when validate has a MUST issue, 'refused' when it does
 * not parse.
 */
function check(bytes: Uint8Array, options: DatagramOptions): 'clean' | 'flagged' | 'refused' {
  let message: ParsedMessage;
  try {
    message = parseDatagram(bytes, options);
  } catch (error) {
    if (error instanceof ParseError) return 'refused';
    throw error;
  }
  if (mustIssues(validate(message)).length > 0) return 'flagged';
  expect(refusingAccessors(message), 'validate found no MUST issue').toEqual([]);
  return 'clean';
}

const PROFILES: readonly DatagramOptions[] = [{}, { profile: 'interop' }];

describe('an accessor never refuses what validate accepts', () => {
  it('holds for the messages validate flagged before: Request-URI ?headers, IPv6 without [ ], Reply-To', () => {
    const flagged = [
      'OPTIONS sip:a@b?Route=%3Csip:c%3E SIP/2.0\r\nContent-Length: 0\r\n\r\n',
      'REGISTER sip:2001:db8::10 SIP/2.0\r\nContent-Length: 0\r\n\r\n',
      'OPTIONS sip:a@b SIP/2.0\r\nReply-To: <sip:a@b c>\r\nContent-Length: 0\r\n\r\n',
    ];
    for (const text of flagged) {
      const message = parseDatagram(new TextEncoder().encode(text));
      expect(refusingAccessors(message), text).not.toEqual([]);
      expect(mustIssues(validate(message)), text).not.toEqual([]);
    }
  });

  describe.skipIf(!sharedAvailable('corpus'))('over the corpora and their mutants', () => {
    const seeds = sharedAvailable('corpus') ? loadSeeds(SHARED_DIR) : [];

    it('holds for every corpus message, strict and interop', () => {
      const outcomes = { clean: 0, flagged: 0, refused: 0 };
      for (const seed of seeds) {
        for (const options of PROFILES) outcomes[check(seed.bytes, options)]++;
      }
      // the check reached most messages: they parse and validate finds no MUST issue
      expect(outcomes.clean).toBeGreaterThan(seeds.length);
      expect(outcomes.flagged).toBeGreaterThan(10);
    });

    it('holds for fuzzed mutants of them', () => {
      const fuzzer = createFuzzer(lib, seeds, { raisedLimits: false });
      const outcomes = { clean: 0, flagged: 0, refused: 0 };
      fc.assert(
        fc.property(
          fuzzer.caseArbitrary,
          fc.constantFrom(...PROFILES),
          ({ input, options: { limits } }, profile) => {
            const bytes = materialize(input, seeds);
            outcomes[check(bytes, limits === undefined ? profile : { ...profile, limits })]++;
          },
        ),
        { seed: 5118, numRuns: 1500 },
      );
      console.log(`accessor invariant over mutants: ${JSON.stringify(outcomes)}`);
      expect(outcomes.clean).toBeGreaterThan(80);
      expect(outcomes.flagged).toBeGreaterThan(80);
    });
  });
});
