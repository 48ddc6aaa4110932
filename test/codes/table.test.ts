import { describe, expect, it } from 'vitest';
import { StatusCode, statusClass, statusCodes } from '../../src/codes/index.js';
import { STATUS_CODES } from '../../src/codes/table.js';
import type { RuleCondition, RuleLevel } from '../../src/codes/types.js';
import { headerDefinition } from '../../src/message/header-names.js';

// JAIN-SIP 1.2 `javax.sip.message.Response`: every constant it names, with its value.
const JAIN_SIP_CONSTANTS = {
  TRYING: 100,
  RINGING: 180,
  CALL_IS_BEING_FORWARDED: 181,
  QUEUED: 182,
  SESSION_PROGRESS: 183,
  OK: 200,
  ACCEPTED: 202,
  MULTIPLE_CHOICES: 300,
  MOVED_PERMANENTLY: 301,
  MOVED_TEMPORARILY: 302,
  USE_PROXY: 305,
  ALTERNATIVE_SERVICE: 380,
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  PAYMENT_REQUIRED: 402,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  NOT_ACCEPTABLE: 406,
  PROXY_AUTHENTICATION_REQUIRED: 407,
  REQUEST_TIMEOUT: 408,
  GONE: 410,
  CONDITIONAL_REQUEST_FAILED: 412,
  REQUEST_ENTITY_TOO_LARGE: 413,
  REQUEST_URI_TOO_LONG: 414,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNSUPPORTED_URI_SCHEME: 416,
  BAD_EXTENSION: 420,
  EXTENSION_REQUIRED: 421,
  INTERVAL_TOO_BRIEF: 423,
  TEMPORARILY_UNAVAILABLE: 480,
  CALL_OR_TRANSACTION_DOES_NOT_EXIST: 481,
  LOOP_DETECTED: 482,
  TOO_MANY_HOPS: 483,
  ADDRESS_INCOMPLETE: 484,
  AMBIGUOUS: 485,
  BUSY_HERE: 486,
  REQUEST_TERMINATED: 487,
  NOT_ACCEPTABLE_HERE: 488,
  BAD_EVENT: 489,
  REQUEST_PENDING: 491,
  UNDECIPHERABLE: 493,
  SERVER_INTERNAL_ERROR: 500,
  NOT_IMPLEMENTED: 501,
  BAD_GATEWAY: 502,
  SERVICE_UNAVAILABLE: 503,
  SERVER_TIMEOUT: 504,
  VERSION_NOT_SUPPORTED: 505,
  MESSAGE_TOO_LARGE: 513,
  BUSY_EVERYWHERE: 600,
  DECLINE: 603,
  DOES_NOT_EXIST_ANYWHERE: 604,
  SESSION_NOT_ACCEPTABLE: 606,
} as const;

const CLASS_BY_HUNDREDS: Readonly<Record<number, string>> = {
  1: 'provisional',
  2: 'success',
  3: 'redirection',
  4: 'client-error',
  5: 'server-error',
  6: 'global-failure',
};

const CONDITION_KINDS: readonly RuleCondition['kind'][] = [
  'requestMethod',
  'requestHasHeader',
  'requestLacksHeader',
  'requestHasNoToTag',
  'requestSupports',
  'responseHasHeader',
  'createsEarlyDialog',
  'createsDialog',
  'sentReliably',
  'sessionExpiresRefresher',
  'policy',
];

const allRules = statusCodes.flatMap((row) => row.rules.map((rule) => ({ code: row.code, rule })));

describe('STATUS_CODES', () => {
  it('holds the 75 registry entries', () => {
    expect(statusCodes).toHaveLength(75);
  });

  it('is sorted by code, with each code once', () => {
    const codes = statusCodes.map((row) => row.code);
    for (let i = 1; i < codes.length; i++) {
      expect(codes[i], `row ${i}`).toBeGreaterThan(codes[i - 1] ?? Number.NaN);
    }
    expect(new Set(codes).size).toBe(75);
  });

  it('gives every row a distinct UPPER_SNAKE constant name', () => {
    const names = statusCodes.map((row) => row.name);
    expect(new Set(names).size).toBe(75);
    for (const name of names) expect(name).toMatch(/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/);
  });

  it('derives non-JAIN-SIP names from the reason phrase', () => {
    for (const row of statusCodes.filter((entry) => !entry.jainSip)) {
      expect(row.name, String(row.code)).toBe(row.reason.toUpperCase().replace(/[ /-]/g, '_'));
    }
  });

  it('derives each class from the hundreds digit', () => {
    for (const row of statusCodes) {
      expect(statusClass(row.code), String(row.code)).toBe(
        CLASS_BY_HUNDREDS[Math.floor(row.code / 100)],
      );
    }
  });

  it('cites an RFC section for every row and every rule', () => {
    for (const row of statusCodes) {
      expect(row.source, String(row.code)).toMatch(/^RFC \d{4} §\d/);
      for (const rule of row.rules) expect(rule.source, String(row.code)).toMatch(/^RFC \d{4} /);
    }
  });

  it('keeps the RFC phrase for 202 and the registry phrase beside it', () => {
    const accepted = statusCodes.find((row) => row.code === 202);
    expect(accepted?.reason).toBe('Accepted');
    expect(accepted?.registryReason).toBe('Accepted (Deprecated)');
    expect(statusCodes.filter((row) => row.registryReason !== undefined)).toHaveLength(1);
  });

  it('is frozen, rows and rules included', () => {
    const row = statusCodes[0];
    expect(Object.isFrozen(statusCodes)).toBe(true);
    expect(row !== undefined && Reflect.set(row, 'reason', 'Trying Hard')).toBe(false);
    expect(row?.rules[0] !== undefined && Object.isFrozen(row.rules[0].when)).toBe(true);
    expect(statusCodes).toBe(STATUS_CODES);
  });
});

describe('header rules', () => {
  it('has the 113 rules of the reference, by level', () => {
    const byLevel: Record<RuleLevel, number> = {
      MUST: 0,
      SHOULD: 0,
      MAY: 0,
      'MUST NOT': 0,
      'SHOULD NOT': 0,
    };
    for (const { rule } of allRules) byLevel[rule.level]++;
    expect(allRules).toHaveLength(113);
    expect(byLevel).toEqual({ MUST: 59, SHOULD: 23, MAY: 20, 'MUST NOT': 8, 'SHOULD NOT': 3 });
  });

  it('names only headers of the header table, in canonical spelling', () => {
    for (const { code, rule } of allRules) {
      expect(headerDefinition(rule.header)?.name, `${code} ${rule.header}`).toBe(rule.header);
    }
  });

  it('uses only closed condition kinds, with valid arguments', () => {
    for (const { code, rule } of allRules) {
      for (const condition of rule.when) {
        const where = `${code} ${rule.header} ${condition.kind}`;
        expect(CONDITION_KINDS, where).toContain(condition.kind);
        if (condition.kind === 'requestMethod') {
          expect(condition.methods.length, where).toBeGreaterThan(0);
          for (const method of condition.methods) expect(method, where).toMatch(/^[A-Z]+$/);
        }
        if (
          condition.kind === 'requestHasHeader' ||
          condition.kind === 'requestLacksHeader' ||
          condition.kind === 'responseHasHeader'
        ) {
          expect(headerDefinition(condition.header)?.name, where).toBe(condition.header);
        }
      }
    }
  });

  it('keeps the rules that apply to every response with their code', () => {
    const unconditional = allRules
      .filter(({ rule }) => rule.when.length === 0 && /^MUST/.test(rule.level))
      .map(({ code, rule }) => `${code} ${rule.header} ${rule.level}`);
    expect(unconditional).toEqual([
      '199 To MUST',
      '199 Reason MUST',
      '199 Supported MUST NOT',
      '199 Require MUST NOT',
      '199 Proxy-Require MUST NOT',
      '204 Expires MUST',
      '305 Contact MUST',
      '401 WWW-Authenticate MUST',
      '405 Allow MUST',
      '407 Proxy-Authenticate MUST',
      '420 Unsupported MUST',
      '421 Require MUST',
      '422 Min-SE MUST',
      '423 Min-Expires MUST',
      '424 Geolocation-Error MUST',
      '425 AlertMsg-Error MUST',
      '469 Recv-Info MUST',
      '494 Security-Server MUST',
    ]);
  });

  it('maps conditions as the RFCs state them', () => {
    const rule = (code: number, index: number) =>
      statusCodes.find((row) => row.code === code)?.rules[index];
    // RFC 3261 §17.2.1: a To tag on a 100 to INVITE is downgraded to SHOULD NOT
    expect(rule(100, 3)).toMatchObject({
      header: 'To',
      level: 'SHOULD NOT',
      requirement: { kind: 'hasTag' },
      when: [{ kind: 'requestMethod', methods: ['INVITE'] }, { kind: 'requestHasNoToTag' }],
    });
    // RFC 3261 §12.1.1, §13.3.1.1: an early-dialog 1xx copies Record-Route
    expect(rule(183, 1)).toMatchObject({
      header: 'Record-Route',
      requirement: { kind: 'copiedFromRequest' },
      when: [{ kind: 'createsEarlyDialog' }],
    });
    // RFC 4028 §9: refresher=uac needs Require: timer
    expect(rule(200, 6)).toMatchObject({
      header: 'Require',
      level: 'MUST',
      requirement: { kind: 'listsOptionTag', optionTag: 'timer' },
      when: [{ kind: 'sessionExpiresRefresher', refresher: 'uac' }],
    });
    // RFC 3261 §10.3 step 8: every Contact of a REGISTER 200 carries expires
    expect(rule(200, 21)).toMatchObject({
      header: 'Contact',
      requirement: { kind: 'paramOnEachValue', param: 'expires' },
      when: [{ kind: 'requestMethod', methods: ['REGISTER'] }],
    });
    // RFC 8688 §3.1: any Call-Info of a 608 has purpose=jwscard
    expect(rule(608, 1)).toMatchObject({
      header: 'Call-Info',
      requirement: { kind: 'paramOnEachValue', param: 'purpose', value: 'jwscard' },
      when: [{ kind: 'responseHasHeader', header: 'Call-Info' }],
    });
  });

  it('keeps each policy-dependent rule, with its policy named', () => {
    const policies = allRules.flatMap(({ rule }) =>
      rule.when.flatMap((condition) => (condition.kind === 'policy' ? [condition.policy] : [])),
    );
    expect(new Set(policies).size).toBe(20);
    expect(policies).toHaveLength(27);
  });
});

describe('StatusCode', () => {
  it('names all 53 JAIN-SIP constants with their values', () => {
    expect(Object.keys(JAIN_SIP_CONSTANTS)).toHaveLength(53);
    for (const [name, code] of Object.entries(JAIN_SIP_CONSTANTS)) {
      expect(Reflect.get(StatusCode, name), name).toBe(code);
    }
  });

  it('marks exactly the JAIN-SIP constants as jainSip', () => {
    const marked = statusCodes.filter((row) => row.jainSip).map((row) => [row.name, row.code]);
    expect(Object.fromEntries(marked)).toEqual(JAIN_SIP_CONSTANTS);
  });

  it('keeps 406 and 606 apart as JAIN-SIP does', () => {
    expect(StatusCode.NOT_ACCEPTABLE).toBe(406);
    expect(StatusCode.SESSION_NOT_ACCEPTABLE).toBe(606);
    expect(StatusCode.METHOD_NOT_ALLOWED).toBe(405);
  });

  it('has one frozen entry per row', () => {
    expect(Object.isFrozen(StatusCode)).toBe(true);
    expect(Object.entries(StatusCode)).toEqual(statusCodes.map((row) => [row.name, row.code]));
    expect(StatusCode.EARLY_DIALOG_TERMINATED).toBe(199);
    expect(StatusCode.PUSH_NOTIFICATION_SERVICE_NOT_SUPPORTED).toBe(555);
    expect(StatusCode.REJECTED).toBe(608);
  });

  it('types the codes as a union of literals', () => {
    const busy: StatusCode = StatusCode.BUSY_HERE;
    // @ts-expect-error 499 is not a registered code
    const unknown: StatusCode = 499;
    expect([busy, unknown]).toEqual([486, 499]);
  });
});
