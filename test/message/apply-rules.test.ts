import { describe, expect, it } from 'vitest';
import type { HeaderRule } from '../../src/codes/index.js';
import { evaluateBuildRules } from '../../src/message/apply-rules.js';
import { headerIds } from '../../src/message/dialog.js';
import {
  evaluateRules,
  type HeaderField,
  type RuleContext,
  type RuleOutcome,
  type SipResponse,
} from '../../src/message/index.js';
import { ruleIssues } from '../../src/message/rule-issues.js';
import { makeRequest } from './support.js';

function fields(...pairs: (readonly [string, string])[]): { headers: HeaderField[] } {
  return { headers: pairs.map(([name, value]) => ({ name, value })) };
}

/** The one outcome whose rule matches header, level and (optionally) a requirement or condition kind. */
function outcome(
  outcomes: readonly RuleOutcome[],
  header: string,
  level: HeaderRule['level'],
  match: (rule: HeaderRule) => boolean = () => true,
): RuleOutcome {
  const found = outcomes.filter(
    (candidate) =>
      candidate.rule.header === header && candidate.rule.level === level && match(candidate.rule),
  );
  if (found.length !== 1)
    throw new Error(`expected one ${level} ${header} rule, found ${found.length}`);
  return found[0] as RuleOutcome;
}

const whenMethod = (method: string) => (rule: HeaderRule) =>
  rule.when.some(
    (condition) => condition.kind === 'requestMethod' && condition.methods.includes(method),
  );

const TO_TAGGED: readonly [string, string] = ['To', 'Bob <sip:bob@biloxi.example.com>;tag=b1'];
const CSEQ_INVITE: readonly [string, string] = ['CSeq', '314159 INVITE'];

describe('evaluateRules', () => {
  it('returns one outcome per rule of the code, in table order', () => {
    const outcomes = evaluateRules(makeRequest('INVITE'), 405, fields());
    expect(outcomes.map((entry) => [entry.rule.header, entry.rule.level])).toEqual([
      ['Allow', 'MUST'],
    ]);
  });

  it('marks a 405 without Allow as violated', () => {
    const [only] = evaluateRules(makeRequest('INVITE'), 405, fields());
    expect(only?.status).toBe('violated');
    expect(only?.requirementMet).toBe(false);
  });

  it('marks a 405 with Allow as satisfied', () => {
    const [only] = evaluateRules(makeRequest('INVITE'), 405, fields(['Allow', 'INVITE, ACK']));
    expect(only?.status).toBe('satisfied');
  });

  it('matches header names case-insensitively and by compact form', () => {
    const outcomes = evaluateRules(makeRequest('INVITE'), 200, fields(['m', '<sip:b@h>']));
    expect(outcome(outcomes, 'Contact', 'MUST', whenMethod('INVITE')).status).toBe('satisfied');
  });

  it('gives an unknown code the rules of the code it is treated as', () => {
    expect(evaluateRules(makeRequest('INVITE'), 499, fields())).toEqual(
      evaluateRules(makeRequest('INVITE'), 400, fields()),
    );
    const outcomes = evaluateRules(makeRequest('INVITE'), 299, fields());
    expect(outcome(outcomes, 'Contact', 'MUST', whenMethod('INVITE')).status).toBe('violated');
  });

  it('throws StatusCodeError for a code outside 100–699', () => {
    expect(() => evaluateRules(undefined, 700, fields())).toThrow(
      expect.objectContaining({ code: 'INVALID_STATUS_CODE' }),
    );
  });

  describe('requestMethod', () => {
    it('applies the rule when the method matches', () => {
      const outcomes = evaluateRules(makeRequest('INVITE'), 200, fields());
      expect(outcome(outcomes, 'Contact', 'MUST', whenMethod('INVITE')).status).toBe('violated');
    });

    it('does not apply it to another method', () => {
      const outcomes = evaluateRules(makeRequest('OPTIONS'), 200, fields());
      expect(outcome(outcomes, 'Contact', 'MUST', whenMethod('INVITE')).status).toBe(
        'notApplicable',
      );
    });

    it('compares methods case-sensitively (RFC 3261 §7.1)', () => {
      const outcomes = evaluateRules(makeRequest('invite'), 200, fields());
      expect(outcome(outcomes, 'Contact', 'MUST', whenMethod('INVITE')).status).toBe(
        'notApplicable',
      );
    });

    it('reads the method from the response CSeq when there is no request', () => {
      const outcomes = evaluateRules(
        undefined,
        200,
        fields(['CSeq', '7 MESSAGE'], ['Contact', '<sip:a@b>']),
      );
      expect(outcome(outcomes, 'Contact', 'MUST NOT', whenMethod('MESSAGE')).status).toBe(
        'violated',
      );
      expect(outcome(outcomes, 'Contact', 'MUST', whenMethod('INVITE')).status).toBe(
        'notApplicable',
      );
    });

    it('is undecidable without a request or a CSeq', () => {
      const outcomes = evaluateRules(undefined, 200, fields());
      const entry = outcome(outcomes, 'Contact', 'MUST', whenMethod('INVITE'));
      expect(entry.status).toBe('undecidable');
      expect(entry.undecided).toEqual([{ kind: 'requestMethod', methods: ['INVITE'] }]);
    });
  });

  describe('requestHasHeader and requestLacksHeader', () => {
    it('requires Recv-Info in a 200 when the request had one', () => {
      const request = makeRequest('INFO', undefined, [['Recv-Info', 'foo']]);
      const outcomes = evaluateRules(request, 200, fields());
      expect(outcome(outcomes, 'Recv-Info', 'MUST').status).toBe('violated');
      expect(outcome(outcomes, 'Recv-Info', 'MUST NOT').status).toBe('notApplicable');
    });

    it('forbids Recv-Info in a 200 when the request had none', () => {
      const outcomes = evaluateRules(makeRequest('INFO'), 200, fields(['Recv-Info', 'foo']));
      expect(outcome(outcomes, 'Recv-Info', 'MUST NOT').status).toBe('violated');
      expect(outcome(outcomes, 'Recv-Info', 'MUST').status).toBe('notApplicable');
    });

    it('is undecidable without a request', () => {
      const outcomes = evaluateRules(undefined, 200, fields(['Recv-Info', 'foo']));
      expect(outcome(outcomes, 'Recv-Info', 'MUST NOT').status).toBe('undecidable');
    });
  });

  describe('requestHasNoToTag', () => {
    const rule = (entry: HeaderRule) => entry.level === 'SHOULD NOT';

    it('discourages a To tag on a 100 to an INVITE without one', () => {
      const outcomes = evaluateRules(makeRequest('INVITE'), 100, fields(TO_TAGGED));
      expect(outcome(outcomes, 'To', 'SHOULD NOT', rule).status).toBe('violated');
    });

    it('does not apply when the request already had a tag', () => {
      const request = makeRequest('INVITE', undefined, []);
      const tagged = {
        ...request,
        headers: request.headers.map((field) =>
          field.name === 'To' ? { name: 'To', value: TO_TAGGED[1] } : field,
        ),
      };
      const outcomes = evaluateRules(tagged, 100, fields(TO_TAGGED));
      expect(outcome(outcomes, 'To', 'SHOULD NOT', rule).status).toBe('notApplicable');
    });

    it('is satisfied by a 100 without tag', () => {
      const outcomes = evaluateRules(makeRequest('INVITE'), 100, fields(['To', '<sip:bob@b>']));
      expect(outcome(outcomes, 'To', 'SHOULD NOT', rule).status).toBe('satisfied');
    });
  });

  describe('copiedFromRequest', () => {
    const request = makeRequest('INVITE', undefined, [
      ['Timestamp', '54.2'],
      ['Record-Route', '<sip:p1;lr>, <sip:p2;lr>'],
    ]);

    it('is satisfied by the same values in the same order, however they are split into fields', () => {
      const outcomes = evaluateRules(
        request,
        180,
        fields(TO_TAGGED, ['Record-Route', '<sip:p1;lr>'], ['Record-Route', '<sip:p2;lr>']),
      );
      expect(outcome(outcomes, 'Record-Route', 'MUST').status).toBe('satisfied');
    });

    it('is violated by a different order', () => {
      const outcomes = evaluateRules(
        request,
        180,
        fields(TO_TAGGED, ['Record-Route', '<sip:p2;lr>, <sip:p1;lr>']),
      );
      expect(outcome(outcomes, 'Record-Route', 'MUST').status).toBe('violated');
    });

    it('is violated by a missing value', () => {
      const outcomes = evaluateRules(
        request,
        180,
        fields(TO_TAGGED, ['Record-Route', '<sip:p1;lr>']),
      );
      expect(outcome(outcomes, 'Record-Route', 'MUST').status).toBe('violated');
    });

    it('is vacuous when the request had none', () => {
      const outcomes = evaluateRules(makeRequest('INVITE'), 180, fields(TO_TAGGED));
      expect(outcome(outcomes, 'Record-Route', 'MUST').status).toBe('satisfied');
    });

    it('is undecidable without the request', () => {
      const outcomes = evaluateRules(undefined, 180, fields(TO_TAGGED, CSEQ_INVITE));
      const entry = outcome(outcomes, 'Record-Route', 'MUST');
      expect(entry.status).toBe('undecidable');
      expect(entry.requirementMet).toBeUndefined();
      expect(entry.undecided).toEqual([]);
    });

    it('accepts a copied Timestamp with the delay appended (RFC 3261 §8.2.6.1)', () => {
      const outcomes = evaluateRules(request, 100, fields(['Timestamp', '54.2 0.25']));
      expect(outcome(outcomes, 'Timestamp', 'MUST').status).toBe('satisfied');
    });

    it('rejects a 100 whose Timestamp is another time', () => {
      const outcomes = evaluateRules(request, 100, fields(['Timestamp', '55']));
      expect(outcome(outcomes, 'Timestamp', 'MUST').status).toBe('violated');
    });

    it('rejects a 100 without the request Timestamp', () => {
      const outcomes = evaluateRules(request, 100, fields());
      expect(outcome(outcomes, 'Timestamp', 'MUST').status).toBe('violated');
    });
  });

  describe('createsEarlyDialog and createsDialog', () => {
    it('requires Contact in a 180 with a To tag to INVITE', () => {
      const outcomes = evaluateRules(makeRequest('INVITE'), 180, fields(TO_TAGGED));
      expect(outcome(outcomes, 'Contact', 'MUST').status).toBe('violated');
    });

    it('does not require it in a 180 without To tag', () => {
      const outcomes = evaluateRules(makeRequest('INVITE'), 180, fields(['To', '<sip:bob@b>']));
      expect(outcome(outcomes, 'Contact', 'MUST').status).toBe('notApplicable');
    });

    it('does not require it in a 180 to a non-INVITE', () => {
      const outcomes = evaluateRules(makeRequest('MESSAGE'), 180, fields(TO_TAGGED));
      expect(outcome(outcomes, 'Contact', 'MUST').status).toBe('notApplicable');
    });

    it('decides the early dialog from the response alone (CSeq and To tag)', () => {
      const outcomes = evaluateRules(undefined, 183, fields(TO_TAGGED, CSEQ_INVITE));
      expect(outcome(outcomes, 'Contact', 'MUST').status).toBe('violated');
    });

    it.each([
      ['INVITE', 'satisfied'],
      ['SUBSCRIBE', 'violated'],
      ['REFER', 'violated'],
      ['OPTIONS', 'notApplicable'],
    ])('treats a 200 to %s as dialog-creating or not (Record-Route copy: %s)', (method, status) => {
      const request = makeRequest(method, undefined, [['Record-Route', '<sip:p1;lr>']]);
      const copied = method === 'INVITE' ? [['Record-Route', '<sip:p1;lr>'] as const] : [];
      const outcomes = evaluateRules(request, 200, fields(TO_TAGGED, ...copied));
      expect(outcome(outcomes, 'Record-Route', 'MUST').status).toBe(status);
    });
  });

  describe('sentReliably', () => {
    it('applies when the response carries RSeq', () => {
      const outcomes = evaluateRules(makeRequest('INVITE'), 183, fields(TO_TAGGED, ['RSeq', '1']));
      expect(outcome(outcomes, 'Require', 'MUST').status).toBe('violated');
      expect(outcome(outcomes, 'RSeq', 'MUST').status).toBe('satisfied');
    });

    it('applies when Require lists 100rel', () => {
      const outcomes = evaluateRules(
        makeRequest('INVITE'),
        183,
        fields(TO_TAGGED, ['Require', 'timer, 100rel']),
      );
      expect(outcome(outcomes, 'Require', 'MUST').status).toBe('satisfied');
      expect(outcome(outcomes, 'RSeq', 'MUST').status).toBe('violated');
    });

    it('applies when the context says so', () => {
      const outcomes = evaluateRules(makeRequest('INVITE'), 183, fields(TO_TAGGED), {
        reliable: true,
      });
      expect(outcome(outcomes, 'RSeq', 'MUST').status).toBe('violated');
    });

    it('does not apply otherwise', () => {
      const outcomes = evaluateRules(makeRequest('INVITE'), 183, fields(TO_TAGGED));
      expect(outcome(outcomes, 'RSeq', 'MUST').status).toBe('notApplicable');
    });
  });

  describe('sessionExpiresRefresher and requestSupports', () => {
    const contact: readonly [string, string] = ['Contact', '<sip:b@h>'];
    const timer = (rule: HeaderRule) =>
      rule.when.some((condition) => condition.kind === 'sessionExpiresRefresher');

    it('requires Require: timer when the refresher is the UAC', () => {
      const outcomes = evaluateRules(
        makeRequest('INVITE'),
        200,
        fields(TO_TAGGED, contact, ['Session-Expires', '1800;refresher=uac']),
      );
      expect(outcome(outcomes, 'Require', 'MUST', timer).status).toBe('violated');
      expect(outcome(outcomes, 'Require', 'SHOULD', timer).status).toBe('notApplicable');
    });

    it('recommends it when the refresher is the UAS and the request supports timer', () => {
      const request = makeRequest('INVITE', undefined, [['Supported', 'timer']]);
      const outcomes = evaluateRules(
        request,
        200,
        fields(TO_TAGGED, contact, ['Session-Expires', '1800; refresher=UAS']),
      );
      expect(outcome(outcomes, 'Require', 'SHOULD', timer).status).toBe('violated');
      expect(outcome(outcomes, 'Require', 'MUST', timer).status).toBe('notApplicable');
    });

    it('does not recommend it when the request does not support timer', () => {
      const outcomes = evaluateRules(
        makeRequest('INVITE'),
        200,
        fields(TO_TAGGED, contact, ['Session-Expires', '1800;refresher=uas']),
      );
      expect(outcome(outcomes, 'Require', 'SHOULD', timer).status).toBe('notApplicable');
    });

    it('leaves requestSupports undecidable without a request', () => {
      const outcomes = evaluateRules(
        undefined,
        200,
        fields(CSEQ_INVITE, ['Session-Expires', '1800;refresher=uas']),
      );
      expect(outcome(outcomes, 'Require', 'SHOULD', timer).status).toBe('undecidable');
    });
  });

  describe('policy', () => {
    it('is undecidable unless the context decides it', () => {
      const entry = outcome(
        evaluateRules(makeRequest('REGISTER'), 421, fields(['Require', 'x'])),
        'Security-Server',
        'MUST',
      );
      expect(entry.status).toBe('undecidable');
      expect(entry.requirementMet).toBe(false);
      expect(entry.undecided).toEqual([{ kind: 'policy', policy: 'secAgreeRequired' }]);
    });

    it('applies when the context sets it true', () => {
      const outcomes = evaluateRules(makeRequest('REGISTER'), 421, fields(['Require', 'x']), {
        policies: { secAgreeRequired: true },
      });
      expect(outcome(outcomes, 'Security-Server', 'MUST').status).toBe('violated');
    });

    it('does not apply when the context sets it false', () => {
      const outcomes = evaluateRules(makeRequest('REGISTER'), 421, fields(['Require', 'x']), {
        policies: { secAgreeRequired: false },
      });
      expect(outcome(outcomes, 'Security-Server', 'MUST').status).toBe('notApplicable');
    });

    it('gives way to a false condition', () => {
      const outcomes = evaluateRules(
        makeRequest('INVITE'),
        200,
        fields(TO_TAGGED, ['Contact', '<sip:b@h>']),
      );
      expect(outcome(outcomes, 'Allow', 'SHOULD', (rule) => rule.when.length === 2).status).toBe(
        'notApplicable',
      );
    });
  });

  describe('hasTag', () => {
    it('requires a To tag in a 199', () => {
      const outcomes = evaluateRules(
        makeRequest('INVITE'),
        199,
        fields(['To', '<sip:bob@b>'], ['Reason', 'SIP;cause=486']),
      );
      expect(outcome(outcomes, 'To', 'MUST').status).toBe('violated');
    });

    it('is undecidable for a To that does not parse', () => {
      const outcomes = evaluateRules(
        makeRequest('INVITE'),
        199,
        fields(['To', '<sip:bob@b'], ['Reason', 'x']),
      );
      expect(outcome(outcomes, 'To', 'MUST').status).toBe('undecidable');
    });
  });

  describe('listsOptionTag', () => {
    it('forbids the 199 option-tag in Require of a 199 (MUST NOT inverts)', () => {
      const outcomes = evaluateRules(
        makeRequest('INVITE'),
        199,
        fields(TO_TAGGED, ['Require', '199']),
      );
      expect(outcome(outcomes, 'Require', 'MUST NOT').status).toBe('violated');
    });

    it('accepts a Require of a 199 without it', () => {
      const outcomes = evaluateRules(
        makeRequest('INVITE'),
        199,
        fields(TO_TAGGED, ['Require', 'timer']),
      );
      expect(outcome(outcomes, 'Require', 'MUST NOT').status).toBe('satisfied');
    });

    it('reads option-tags across several fields', () => {
      const outcomes = evaluateRules(
        makeRequest('INVITE'),
        180,
        fields(TO_TAGGED, ['Require', 'timer'], ['Require', '100rel'], ['RSeq', '1']),
      );
      expect(outcome(outcomes, 'Require', 'MUST').status).toBe('satisfied');
    });
  });

  describe('paramOnEachValue', () => {
    const register = makeRequest('REGISTER');
    const rule = (entry: HeaderRule) => entry.requirement.kind === 'paramOnEachValue';

    it('requires expires on every Contact of a 200 to REGISTER', () => {
      const outcomes = evaluateRules(
        register,
        200,
        fields(TO_TAGGED, ['Contact', '<sip:a@h>;expires=3600, <sip:b@h>']),
      );
      expect(outcome(outcomes, 'Contact', 'MUST', rule).status).toBe('violated');
    });

    it('is satisfied when each Contact has it', () => {
      const outcomes = evaluateRules(
        register,
        200,
        fields(
          TO_TAGGED,
          ['Contact', '<sip:a@h>;expires=3600'],
          ['Contact', '<sip:b@h>;EXPIRES=60'],
        ),
      );
      expect(outcome(outcomes, 'Contact', 'MUST', rule).status).toBe('satisfied');
    });

    it('is vacuous without Contact', () => {
      expect(
        outcome(evaluateRules(register, 200, fields(TO_TAGGED)), 'Contact', 'MUST', rule).status,
      ).toBe('satisfied');
    });

    it('compares a required parameter value case-insensitively', () => {
      const good = evaluateRules(
        makeRequest('INVITE'),
        608,
        fields(TO_TAGGED, ['Call-Info', '<https://a.example/j>;purpose=JWSCard']),
      );
      expect(outcome(good, 'Call-Info', 'MUST', rule).status).toBe('satisfied');
      const bad = evaluateRules(
        makeRequest('INVITE'),
        608,
        fields(TO_TAGGED, ['Call-Info', '<https://a.example/j>;purpose=icon']),
      );
      expect(outcome(bad, 'Call-Info', 'MUST', rule).status).toBe('violated');
    });

    it('does not apply the Call-Info rule when the 608 has no Call-Info (responseHasHeader)', () => {
      expect(
        outcome(
          evaluateRules(makeRequest('INVITE'), 608, fields(TO_TAGGED)),
          'Call-Info',
          'MUST',
          rule,
        ).status,
      ).toBe('notApplicable');
    });
  });

  it('marks an applicable MAY rule satisfied whether or not it is followed', () => {
    const without = outcome(
      evaluateRules(makeRequest('INVITE'), 486, fields()),
      'Retry-After',
      'MAY',
    );
    const withIt = outcome(
      evaluateRules(makeRequest('INVITE'), 486, fields(['Retry-After', '60'])),
      'Retry-After',
      'MAY',
    );
    expect([without.status, without.requirementMet, withIt.status, withIt.requirementMet]).toEqual([
      'satisfied',
      false,
      'satisfied',
      true,
    ]);
  });
});

describe('evaluateBuildRules finds what ruleIssues reports of evaluateRules', () => {
  const responses: readonly { headers: HeaderField[] }[] = [
    fields(['To', '<sip:b@example.com>;tag=1'], ['CSeq', '1 X']),
    fields(['Allow', 'INVITE'], ['Supported', 'timer'], ['Session-Expires', '90;refresher=uac']),
    fields(['Contact', '<sip:b@192.0.2.4>;expires=60'], ['Require', '100rel'], ['RSeq', '1']),
    fields(['Recv-Info', 'x'], ['Record-Route', '<sip:p1.example.com;lr>'], ['To', '<sip:b@x>']),
  ];
  const requests = ['INVITE', 'OPTIONS', 'REGISTER', 'SUBSCRIBE', 'BYE', 'CANCEL', 'UPDATE'].map(
    (method) =>
      makeRequest(method, undefined, [
        ['Supported', 'timer, outbound'],
        ['Recv-Info', 'x'],
        ['Timestamp', '54'],
      ]),
  );
  const contexts: readonly (RuleContext | undefined)[] = [
    undefined,
    { reliable: true },
    { policies: { sessionTimerInUse: true, notifier: false, registrarHasBindings: true } },
  ];
  it('for every code, request, response and context tried', () => {
    for (const code of [100, 180, 183, 200, 202, 302, 401, 405, 420, 486, 499, 503]) {
      for (const request of requests) {
        for (const response of responses) {
          for (const context of contexts) {
            const reported = ruleIssues(
              evaluateRules(request, code, response, context),
              code,
              'Reason',
              true,
            ).map((issue) => [
              issue.rule,
              issue.code === 'UNDECIDABLE_RULE' ? 'undecidable' : 'violated',
            ]);
            const message: SipResponse = {
              type: 'response',
              version: 'SIP/2.0',
              status: code,
              reason: 'Reason',
              headers: response.headers,
              body: new Uint8Array(0),
            };
            const found = evaluateBuildRules(
              request,
              headerIds(request.headers),
              code,
              message,
              response.headers,
              context,
            ).map((finding) => [finding.rule, finding.kind]);
            expect(found).toEqual(reported);
          }
        }
      }
    }
  });
});
