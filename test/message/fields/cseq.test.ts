import { describe, expect, it } from 'vitest';
import { parseCSeq } from '../../../src/message/fields/cseq.js';
import { codeAt, failure } from './helpers.js';

describe('parseCSeq', () => {
  it('reads the number and the method', () => {
    expect(parseCSeq('4711 INVITE')).toEqual({ seq: 4711, method: 'INVITE' });
  });

  it('accepts leading zeros and extra whitespace (RFC 4475 §3.1.1.1)', () => {
    expect(parseCSeq('0009 \t INVITE')).toEqual({ seq: 9, method: 'INVITE' });
    expect(parseCSeq(' 1 ACK ')).toEqual({ seq: 1, method: 'ACK' });
  });

  it('keeps an unknown method case-sensitive (RFC 4475 §3.1.1.2, §3.1.1.5)', () => {
    expect(parseCSeq("139122385 !interesting-Method0123456789_*+`.%indeed'~")).toEqual({
      seq: 139122385,
      method: "!interesting-Method0123456789_*+`.%indeed'~",
    });
    expect(parseCSeq('29344 RE%47IST%45R').method).toBe('RE%47IST%45R');
    expect(parseCSeq('1 invite').method).toBe('invite');
  });

  it('accepts 0 and 2^31-1 and rejects 2^31 (RFC 3261 §8.1.1.5)', () => {
    expect(parseCSeq('0 BYE').seq).toBe(0);
    expect(parseCSeq('2147483647 BYE').seq).toBe(2147483647);
    expect(codeAt(() => parseCSeq('2147483648 BYE'))).toEqual(['NUMBER_OUT_OF_RANGE', 0]);
    expect(parseCSeq('000000000002147483647 BYE').seq).toBe(2147483647);
  });

  it('rejects overlarge numbers without overflow (RFC 4475 §3.1.2.4, §3.1.2.5)', () => {
    expect(codeAt(() => parseCSeq('36893488147419103232 REGISTER'))).toEqual([
      'NUMBER_OUT_OF_RANGE',
      0,
    ]);
    expect(codeAt(() => parseCSeq('9292394834772304023312 OPTIONS'))).toEqual([
      'NUMBER_OUT_OF_RANGE',
      0,
    ]);
  });

  it('rejects a missing number, separator or method', () => {
    expect(codeAt(() => parseCSeq('INVITE'))).toEqual(['INVALID_CSEQ', 0]);
    expect(codeAt(() => parseCSeq('-1 INVITE'))).toEqual(['INVALID_CSEQ', 0]);
    expect(codeAt(() => parseCSeq('1INVITE'))).toEqual(['INVALID_CSEQ', 1]);
    expect(codeAt(() => parseCSeq('1'))).toEqual(['INVALID_CSEQ', 1]);
    expect(codeAt(() => parseCSeq('1 '))).toEqual(['INVALID_CSEQ', 1]);
    expect(codeAt(() => parseCSeq('1 INVITE x'))).toEqual(['INVALID_CSEQ', 8]);
    expect(codeAt(() => parseCSeq('1 IN:VITE'))).toEqual(['INVALID_CSEQ', 4]);
    expect(codeAt(() => parseCSeq(''))).toEqual(['INVALID_CSEQ', 0]);
  });

  it('says what was expected', () => {
    expect(failure(() => parseCSeq('36893488147419103232 REGISTER')).message).toMatchInlineSnapshot(
      `"CSeq number out of range at character 0: expected a number from 0 to 2147483647, found "36893488147419103232 REGISTER""`,
    );
  });
});
