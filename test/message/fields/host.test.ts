import { describe, expect, it } from 'vitest';
import { checkIPv4, checkIPv6, scanHost } from '../../../src/message/fields/host.js';
import { codeAt } from './helpers.js';

const ipv6 = (text: string): number => checkIPv6(text, 0, text.length);
const ipv4 = (text: string): number => checkIPv4(text, 0, text.length);

describe('checkIPv6', () => {
  it('accepts the RFC 4291 §2.2 text forms', () => {
    for (const text of [
      '::',
      '::1',
      '1::',
      '2001:db8::10',
      '2001:DB8:0:0:8:800:200C:417A',
      '1:2:3:4:5:6:7:8',
      '1:2:3:4:5:6:1.2.3.4',
      '::ffff:192.0.2.10',
      '1::2:3:4:5:6:7',
      'fe80::1%25eth0',
      'fe80::1%25en%30',
    ]) {
      expect([text, ipv6(text)]).toEqual([text, -1]);
    }
  });

  it('tolerates the three-colon form before an IPv4 tail only (RFC 5118 §4.10)', () => {
    expect(ipv6('2001:db8:::192.0.2.1')).toBe(-1);
    expect(ipv6(':::192.0.2.1')).toBe(-1);
    expect(ipv6('2001:db8:::1')).toBe(10);
    expect(ipv6(':::1')).toBe(2);
  });

  it('points at the problem of a malformed address', () => {
    expect(ipv6('')).toBe(0);
    expect(ipv6(':1')).toBe(0);
    expect(ipv6('1:')).toBe(1);
    expect(ipv6('1::2::3')).toBe(4);
    expect(ipv6('12345::')).toBe(0);
    expect(ipv6('1:2:3:4:5:6:7')).toBe(0);
    expect(ipv6('1:2:3:4:5:6:7:8:9')).toBe(0);
    expect(ipv6('1::2:3:4:5:6:7:8')).toBe(0);
    expect(ipv6('g::1')).toBe(0);
    expect(ipv6('::1.2.3')).toBe(7);
    expect(ipv6('fe80::1%eth0')).toBe(7);
    expect(ipv6('fe80::1%25')).toBe(7);
    expect(ipv6('fe80::1%25a b')).toBe(11);
  });
});

describe('checkIPv4', () => {
  it('accepts four groups of 1 to 3 digits, each 0 to 255', () => {
    expect(ipv4('0.0.0.0')).toBe(-1);
    expect(ipv4('255.255.255.255')).toBe(-1);
    expect(ipv4('192.0.2.001')).toBe(-1);
  });

  it('rejects other shapes', () => {
    expect(ipv4('256.0.0.1')).toBe(0);
    expect(ipv4('1.2.3')).toBe(5);
    expect(ipv4('1.2.3.4.5')).toBe(7);
    expect(ipv4('1..2.3')).toBe(2);
    expect(ipv4('1.2.3.1000')).toBe(6);
  });
});

describe('scanHost', () => {
  it('lower-cases the host and stops at the first non-host character', () => {
    expect(scanHost('Example.COM:5060', 0, 16, 'INVALID_URI', 'x')).toEqual({
      host: 'example.com',
      end: 11,
    });
    expect(scanHost('[2001:DB8::1];x', 0, 15, 'INVALID_URI', 'x')).toEqual({
      host: '[2001:db8::1]',
      end: 13,
    });
  });

  it('accepts a trailing dot and single-letter labels', () => {
    expect(scanHost('a.b.c.', 0, 6, 'INVALID_URI', 'x').host).toBe('a.b.c.');
  });

  it('throws the given code at the problem', () => {
    expect(codeAt(() => scanHost('', 0, 0, 'INVALID_VIA', 'x'))).toEqual(['INVALID_VIA', 0]);
    expect(codeAt(() => scanHost('a.-b', 0, 4, 'INVALID_VIA', 'x'))).toEqual(['INVALID_VIA', 2]);
    expect(codeAt(() => scanHost('[::1', 0, 4, 'INVALID_VIA', 'x'))).toEqual(['INVALID_VIA', 0]);
    expect(codeAt(() => scanHost('[::1]', 0, 4, 'INVALID_VIA', 'x'))).toEqual(['INVALID_VIA', 0]);
  });
});
