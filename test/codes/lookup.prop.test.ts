import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import {
  codeInfo,
  isClientError,
  isFinal,
  isGlobalFailure,
  isKnownStatusCode,
  isProvisional,
  isRedirect,
  isServerError,
  isSuccess,
  reasonPhrase,
  rulesFor,
  StatusCodeError,
  statusClass,
} from '../../src/codes/index.js';

const CLASS_PREDICATES = [
  isProvisional,
  isSuccess,
  isRedirect,
  isClientError,
  isServerError,
  isGlobalFailure,
] as const;

const LOOKUPS = [
  reasonPhrase,
  codeInfo,
  statusClass,
  isFinal,
  rulesFor,
  isKnownStatusCode,
  ...CLASS_PREDICATES,
] as const;

const isCode = (value: unknown): boolean =>
  typeof value === 'number' && Number.isInteger(value) && value >= 100 && value <= 699;

function throwsStatusCodeError(call: () => unknown, value: unknown): boolean {
  try {
    call();
  } catch (error) {
    return error instanceof StatusCodeError && Object.is(error.value, value);
  }
  return false;
}

const RUNS = { numRuns: 300 };

describe('class predicates', () => {
  test.prop([fc.integer({ min: 100, max: 699 })], RUNS)(
    'exactly the predicate of the hundreds digit holds',
    (code) => {
      const digit = Math.floor(code / 100);
      const answers = CLASS_PREDICATES.map((predicate) => predicate(code));
      expect(answers.filter(Boolean)).toHaveLength(1);
      expect(answers.indexOf(true)).toBe(digit - 1);
      expect(isFinal(code)).toBe(digit !== 1);
    },
  );

  test.prop([fc.integer({ min: 100, max: 699 })], RUNS)(
    'codeInfo agrees with the other lookups',
    (code) => {
      const info = codeInfo(code);
      expect(info.statusClass).toBe(statusClass(code));
      expect(info.known).toBe(isKnownStatusCode(code));
      expect(info.entry?.reason).toBe(reasonPhrase(code));
      expect(rulesFor(code)).toBe(info.treatedAsEntry.rules);
      expect(statusClass(info.treatedAs)).toBe(info.statusClass);
      if (info.known) expect(info.treatedAs).toBe(code);
      else expect(info.treatedAs).toBe(code < 200 ? 183 : Math.floor(code / 100) * 100);
    },
  );
});

describe('invalid input', () => {
  test.prop([fc.integer()], RUNS)('an integer outside 100-699 always throws', (value) => {
    fc.pre(!isCode(value));
    for (const lookup of LOOKUPS)
      expect(throwsStatusCodeError(() => lookup(value), value)).toBe(true);
  });

  test.prop([fc.double()], RUNS)('a number throws unless it is a code', (value) => {
    for (const lookup of LOOKUPS) {
      if (isCode(value)) expect(() => lookup(value)).not.toThrow();
      else expect(throwsStatusCodeError(() => lookup(value), value)).toBe(true);
    }
  });

  test.prop([fc.anything({ withBigInt: true, withBoxedValues: true, withMap: true })], RUNS)(
    'any non-number value throws',
    (value) => {
      fc.pre(typeof value !== 'number');
      for (const lookup of LOOKUPS) {
        expect(throwsStatusCodeError(() => lookup(value as number), value)).toBe(true);
      }
    },
  );
});
