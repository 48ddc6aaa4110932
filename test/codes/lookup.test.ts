import { describe, expect, it } from 'vitest';
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
  StatusCode,
  StatusCodeError,
  statusClass,
  statusCodes,
} from '../../src/codes/index.js';
import { isSipError, SipError } from '../../src/errors.js';

function row(code: number) {
  const entry = statusCodes.find((candidate) => candidate.code === code);
  if (entry === undefined) throw new Error(`no row ${code}`);
  return entry;
}

describe('reasonPhrase', () => {
  it('returns the RFC phrase of a registered code', () => {
    expect(reasonPhrase(100)).toBe('Trying');
    expect(reasonPhrase(StatusCode.BUSY_HERE)).toBe('Busy Here');
    expect(reasonPhrase(606)).toBe('Not Acceptable');
    expect(reasonPhrase(608)).toBe('Rejected');
  });

  it('returns Accepted for 202, not the registry phrase', () => {
    expect(reasonPhrase(202)).toBe('Accepted');
  });

  it('returns undefined for an unregistered code inside 100-699', () => {
    expect(reasonPhrase(499)).toBeUndefined();
    expect(reasonPhrase(150)).toBeUndefined();
    expect(reasonPhrase(699)).toBeUndefined();
  });
});

describe('codeInfo', () => {
  it('describes a registered code by its own row', () => {
    const info = codeInfo(486);
    expect(info).toEqual({
      code: 486,
      known: true,
      statusClass: 'client-error',
      entry: row(486),
      treatedAs: 486,
      treatedAsEntry: row(486),
      note: '486 Busy Here is a registered client-error response (RFC 3261 §21.4.24)',
    });
    expect(info.entry).toBe(row(486));
    expect(Object.isFrozen(info)).toBe(true);
  });

  it('knows 199, the one registered 1xx past 183', () => {
    expect(codeInfo(199)).toMatchObject({ known: true, treatedAs: 199 });
  });

  it('treats an unknown final code as x00 of its class and says so', () => {
    const info = codeInfo(499);
    expect(info).toEqual({
      code: 499,
      known: false,
      statusClass: 'client-error',
      entry: undefined,
      treatedAs: 400,
      treatedAsEntry: row(400),
      note: '499 is not a registered code: a UAC treats an unknown client-error response as 400 Bad Request (RFC 3261 §8.1.3.2)',
    });
    expect(Object.isFrozen(info)).toBe(true);
    expect(codeInfo(299).treatedAs).toBe(200);
    expect(codeInfo(399).treatedAs).toBe(300);
    expect(codeInfo(599).treatedAs).toBe(500);
    expect(codeInfo(699)).toMatchObject({ treatedAs: 600, statusClass: 'global-failure' });
  });

  it('treats an unknown 1xx as 183', () => {
    expect(codeInfo(150)).toEqual({
      code: 150,
      known: false,
      statusClass: 'provisional',
      entry: undefined,
      treatedAs: 183,
      treatedAsEntry: row(183),
      note: '150 is not a registered code: a UAC treats an unknown provisional response other than 100 as 183 Session Progress (RFC 3261 §8.1.3.2)',
    });
    expect(codeInfo(101).treatedAs).toBe(183);
  });
});

describe('statusClass', () => {
  it('reads the class from the hundreds digit at each boundary', () => {
    const cases: readonly [number, string][] = [
      [100, 'provisional'],
      [199, 'provisional'],
      [200, 'success'],
      [299, 'success'],
      [300, 'redirection'],
      [399, 'redirection'],
      [400, 'client-error'],
      [499, 'client-error'],
      [500, 'server-error'],
      [599, 'server-error'],
      [600, 'global-failure'],
      [699, 'global-failure'],
    ];
    for (const [code, expected] of cases) expect(statusClass(code), String(code)).toBe(expected);
  });
});

describe('class predicates', () => {
  it('answer for each class', () => {
    const predicates = {
      isProvisional,
      isSuccess,
      isRedirect,
      isClientError,
      isServerError,
      isGlobalFailure,
    };
    const samples: readonly [number, keyof typeof predicates][] = [
      [100, 'isProvisional'],
      [183, 'isProvisional'],
      [200, 'isSuccess'],
      [302, 'isRedirect'],
      [486, 'isClientError'],
      [503, 'isServerError'],
      [603, 'isGlobalFailure'],
    ];
    for (const [code, name] of samples) {
      for (const [candidate, predicate] of Object.entries(predicates)) {
        expect(predicate(code), `${candidate}(${code})`).toBe(candidate === name);
      }
    }
  });

  it('call everything from 200 up final', () => {
    expect(isFinal(199)).toBe(false);
    expect(isFinal(100)).toBe(false);
    expect(isFinal(200)).toBe(true);
    expect(isFinal(699)).toBe(true);
  });
});

describe('rulesFor', () => {
  it('returns the rules of a registered code', () => {
    expect(rulesFor(405).map((rule) => [rule.header, rule.level])).toEqual([['Allow', 'MUST']]);
    expect(rulesFor(StatusCode.INTERVAL_TOO_BRIEF).map((rule) => rule.header)).toEqual([
      'Min-Expires',
    ]);
    expect(rulesFor(400)).toEqual([]);
  });

  it('returns the rules of the code an unknown code is treated as', () => {
    expect(rulesFor(150)).toBe(row(183).rules);
    expect(rulesFor(299)).toBe(row(200).rules);
    expect(rulesFor(418)).toBe(row(400).rules);
  });
});

describe('isKnownStatusCode', () => {
  it('is true exactly for registered codes', () => {
    expect(isKnownStatusCode(486)).toBe(true);
    expect(isKnownStatusCode(199)).toBe(true);
    expect(isKnownStatusCode(499)).toBe(false);
    expect(isKnownStatusCode(150)).toBe(false);
    let known = 0;
    for (let code = 100; code <= 699; code++) if (isKnownStatusCode(code)) known++;
    expect(known).toBe(75);
  });
});

describe('invalid input', () => {
  const lookups = {
    reasonPhrase,
    codeInfo,
    statusClass,
    isProvisional,
    isFinal,
    isSuccess,
    isRedirect,
    isClientError,
    isServerError,
    isGlobalFailure,
    rulesFor,
    isKnownStatusCode,
  } as const satisfies Record<string, (code: number) => unknown>;

  const invalid: readonly [string, unknown][] = [
    ['NaN', Number.NaN],
    ['99.5', 99.5],
    ['200.5', 200.5],
    ['700', 700],
    ['99', 99],
    ['0', 0],
    ['-0', -0],
    ['-1', -1],
    ['-200', -200],
    ['1e21', 1e21],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
    ['a numeric string', '200'],
    ['an empty string', ''],
    ['a bigint', 200n],
    ['a boolean', true],
    ['null', null],
    ['undefined', undefined],
    ['an object', { code: 200 }],
    ['a boxed number', Object(200)],
    ['an array', [200]],
    ['a symbol', Symbol('200')],
    ['a function', () => 200],
  ];

  for (const [name, lookup] of Object.entries(lookups)) {
    it(`${name} throws StatusCodeError for every non-code`, () => {
      for (const [label, value] of invalid) {
        let thrown: unknown;
        try {
          lookup(value as number);
        } catch (error) {
          thrown = error;
        }
        expect(thrown, `${name}(${label})`).toBeInstanceOf(StatusCodeError);
        expect(thrown, `${name}(${label})`).toBeInstanceOf(SipError);
        expect(isSipError(thrown)).toBe(true);
        expect(thrown).toMatchObject({ name: 'StatusCodeError', code: 'INVALID_STATUS_CODE' });
        expect(Object.is((thrown as StatusCodeError).value, value), `${name}(${label})`).toBe(true);
      }
    });
  }

  it('says what was wrong and what is expected', () => {
    expect(() => reasonPhrase(700)).toThrowErrorMatchingInlineSnapshot(
      `[StatusCodeError: Invalid status code 700: expected an integer from 100 to 699]`,
    );
  });

  it('shows the value and, for a non-number, its type', () => {
    const message = (value: unknown): string => new StatusCodeError(value).message;
    expect(message(-0)).toBe('Invalid status code -0: expected an integer from 100 to 699');
    expect(message(Number.NaN)).toBe(
      'Invalid status code NaN: expected an integer from 100 to 699',
    );
    expect(message(1e21)).toBe('Invalid status code 1e+21: expected an integer from 100 to 699');
    expect(message('2"0\n')).toBe(
      'Invalid status code "2\\"0\\x0a" (a string): expected an integer from 100 to 699',
    );
    expect(message('x'.repeat(40))).toBe(
      `Invalid status code "${'x'.repeat(32)}…" (a string): expected an integer from 100 to 699`,
    );
    expect(message(200n)).toBe(
      'Invalid status code 200n (a bigint): expected an integer from 100 to 699',
    );
    expect(message(null)).toBe('Invalid status code null: expected an integer from 100 to 699');
    expect(message(undefined)).toBe(
      'Invalid status code undefined: expected an integer from 100 to 699',
    );
    expect(message([200])).toBe(
      'Invalid status code (an array): expected an integer from 100 to 699',
    );
    expect(message({})).toBe(
      'Invalid status code (an object): expected an integer from 100 to 699',
    );
  });

  it('passes a cause on', () => {
    const cause = new Error('upstream');
    expect(new StatusCodeError(1, { cause }).cause).toBe(cause);
  });
});
