import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { statusClass, statusCodes } from '../../src/codes/index.js';
import { sharedAvailable, sharedPath } from '../helpers/shared.js';

/** The fields of ../shared/reference/status-codes.json this test compares. */
interface ReferenceRule {
  readonly header: string;
  readonly strength: string;
  readonly condition: string;
  readonly ref: string;
  readonly always: boolean;
}
interface ReferenceRow {
  readonly code: number;
  readonly reason: string;
  readonly constant: string;
  readonly class: string;
  readonly rfc: string;
  readonly section: string;
  readonly jainSipConstant: boolean;
  readonly headerRules: readonly ReferenceRule[];
  readonly methods: readonly string[];
  readonly body: readonly string[];
  readonly notes: readonly string[];
  readonly unverified: readonly string[];
}

const REFERENCE = 'reference/status-codes.json';
const available = sharedAvailable(REFERENCE);
const reference: readonly ReferenceRow[] = available
  ? (JSON.parse(readFileSync(sharedPath(REFERENCE), 'utf8')) as ReferenceRow[])
  : [];

describe.skipIf(!available)('agreement with shared/reference/status-codes.json', () => {
  it('has the same codes in the same order', () => {
    expect(statusCodes.map((row) => row.code)).toEqual(reference.map((row) => row.code));
  });

  it.each(reference.map((row) => [row.code, row] as const))('agrees on %i', (code, expected) => {
    const row = statusCodes.find((entry) => entry.code === code);
    expect(row).toBeDefined();
    if (row === undefined) return;
    expect(row.registryReason ?? row.reason).toBe(expected.reason);
    expect(row.name).toBe(expected.constant);
    expect(row.jainSip).toBe(expected.jainSipConstant);
    expect(statusClass(code)).toBe(expected.class);
    expect(row.source).toBe(`${expected.rfc} §${expected.section}`);
    expect(row.methods).toEqual(expected.methods);
    expect(row.body).toEqual(expected.body);
    expect(row.notes).toEqual([
      ...expected.notes,
      ...expected.unverified.map((text) => `Not verified: ${text}`),
    ]);

    expect(row.rules.map((rule) => [rule.header, rule.level, rule.condition, rule.source])).toEqual(
      expected.headerRules.map((rule) => [rule.header, rule.strength, rule.condition, rule.ref]),
    );
    expected.headerRules.forEach((expectedRule, i) => {
      const rule = row.rules[i];
      const where = `${code} rule ${i} ${expectedRule.header}`;
      // The reference marks `always` only the unconditional MUST / MUST NOT rules; an
      // unconditional SHOULD or MAY (e.g. 404 Retry-After MAY) is `always: false` there.
      const unconditional = rule?.when.length === 0;
      const hard = rule?.level === 'MUST' || rule?.level === 'MUST NOT';
      expect(unconditional && hard, where).toBe(expectedRule.always);
      if (expectedRule.always) expect(rule?.when, where).toEqual([]);
    });
  });
});
