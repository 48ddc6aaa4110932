import { describe, expect, it } from 'vitest';
import {
  HEADER_DEFINITIONS,
  METHOD_DEFINITIONS,
  methodDefinition,
} from '../../src/message/index.js';
import { methodRules } from '../../src/message/methods.js';

const HEADERS = new Set<string>(HEADER_DEFINITIONS.map((row) => row.name));

describe('the method table', () => {
  it('holds the methods of RFC 3261 and its extensions once each, sorted', () => {
    const methods = METHOD_DEFINITIONS.map((row) => row.method);
    expect(methods).toEqual([
      'ACK',
      'BYE',
      'CANCEL',
      'INFO',
      'INVITE',
      'MESSAGE',
      'NOTIFY',
      'OPTIONS',
      'PRACK',
      'PUBLISH',
      'REFER',
      'REGISTER',
      'SUBSCRIBE',
      'UPDATE',
    ]);
  });

  it('names a source for every row and rule, and only headers of the header table', () => {
    for (const row of METHOD_DEFINITIONS) {
      expect(row.source, row.method).toMatch(/^RFC \d+ §/);
      for (const rule of [...row.requires, ...row.forbids]) {
        expect(HEADERS.has(rule.header), `${row.method} ${rule.header}`).toBe(true);
        expect(rule.source).toMatch(/^RFC \d+ §/);
      }
    }
  });

  it('agrees with the dialog-creating methods and the CSeq rules of RFC 3261 §12', () => {
    const creating = METHOD_DEFINITIONS.filter((row) => row.createsDialog).map((row) => row.method);
    expect(creating).toEqual(['INVITE', 'REFER', 'SUBSCRIBE']);
    for (const method of creating) {
      expect(methodDefinition(method)?.requires.some((rule) => rule.header === 'Contact')).toBe(
        true,
      );
    }
    const fixed = METHOD_DEFINITIONS.filter((row) => !row.incrementsCSeq).map((row) => row.method);
    expect(fixed).toEqual(['ACK', 'CANCEL']);
  });

  it('looks methods up case-sensitively and gives extension methods no extra rule', () => {
    expect(methodDefinition('INVITE')?.source).toBe('RFC 3261 §13.2.1');
    expect(methodDefinition('invite')).toBeUndefined();
    expect(methodRules('FOO')).toMatchObject({ method: 'FOO', requires: [], forbids: [] });
  });
});
