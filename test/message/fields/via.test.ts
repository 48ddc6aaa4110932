import { describe, expect, it } from 'vitest';
import { parseVia } from '../../../src/message/fields/via.js';
import { codeAt, failure } from './helpers.js';

/** The result as plain data, params as entry arrays. */
function plain(value: string): Record<string, unknown> {
  const { params, ...rest } = parseVia(value);
  return { ...rest, params: [...params] };
}

describe('parseVia', () => {
  it('reads protocol, transport, sent-by and branch', () => {
    expect(plain('SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds')).toEqual({
      protocolName: 'SIP',
      protocolVersion: '2.0',
      transport: 'UDP',
      host: 'pc33.atlanta.com',
      params: [['branch', 'z9hG4bK776asdhds']],
      branch: 'z9hG4bK776asdhds',
    });
  });

  it('types received, rport, maddr and ttl', () => {
    expect(
      plain(
        'sip/2.0/tcp Host.Example.com:5060;Received=192.0.2.1;rport=5062;maddr=224.2.0.1;ttl=16',
      ),
    ).toEqual({
      protocolName: 'SIP',
      protocolVersion: '2.0',
      transport: 'TCP',
      host: 'host.example.com',
      port: 5060,
      params: [
        ['received', '192.0.2.1'],
        ['rport', '5062'],
        ['maddr', '224.2.0.1'],
        ['ttl', '16'],
      ],
      received: '192.0.2.1',
      rport: 5062,
      maddr: '224.2.0.1',
      ttl: 16,
    });
  });

  it('gives rport true when it has no value (RFC 3581 §3)', () => {
    expect(parseVia('SIP/2.0/UDP a.com;rport;branch=z9hG4bK1').rport).toBe(true);
  });

  it('allows whitespace around "/" and ":" and before ";" (RFC 4475 §3.1.1.1)', () => {
    expect(plain('SIP  / 2.0  / TCP     spindle.example.com   ; branch  =   z9hG4bK9ikj8')).toEqual(
      {
        protocolName: 'SIP',
        protocolVersion: '2.0',
        transport: 'TCP',
        host: 'spindle.example.com',
        params: [['branch', 'z9hG4bK9ikj8']],
        branch: 'z9hG4bK9ikj8',
      },
    );
    expect(parseVia('SIP / 2.0 /UDP 192.0.2.2 : 5070;branch=390skdjuw')).toEqual(
      expect.objectContaining({ host: '192.0.2.2', port: 5070, branch: '390skdjuw' }),
    );
  });

  it('accepts unknown transports (RFC 4475 §3.1.1.10)', () => {
    expect(parseVia('SIP/2.0/UNKNOWN t4.example.com;branch=z9hG4bKasd0f3en').transport).toBe(
      'UNKNOWN',
    );
    expect(parseVia('SIP/2.0/SCTP t2.example.com;branch=z9hG4bKklasjdhf').transport).toBe('SCTP');
  });

  it('accepts every token character in a branch (RFC 4475 §3.1.1.2)', () => {
    expect(parseVia("SIP/2.0/TCP host1.example.com;branch=z9hG4bK-.!%66*_+`'~").branch).toBe(
      "z9hG4bK-.!%66*_+`'~",
    );
  });

  it('reads IPv6 sent-by with and without port (RFC 5118 §4.7, §4.9)', () => {
    expect(parseVia('SIP/2.0/UDP [2001:db8::9:1]:6050;branch=z9hG4bKas3-111')).toEqual(
      expect.objectContaining({ host: '[2001:db8::9:1]', port: 6050 }),
    );
    expect(parseVia('SIP/2.0/UDP [::ffff:192.0.2.10]:19823;branch=z9hG4bKbh19')).toEqual(
      expect.objectContaining({ host: '[::ffff:192.0.2.10]', port: 19823 }),
    );
    const via = parseVia('SIP/2.0/TCP [2001:db8::9:255];branch=z9hG4bK451jj;received=192.0.2.200');
    expect([via.host, via.port, via.received]).toEqual([
      '[2001:db8::9:255]',
      undefined,
      '192.0.2.200',
    ]);
  });

  it('accepts received with and without brackets (RFC 5118 §4.5)', () => {
    expect(
      parseVia('SIP/2.0/UDP [2001:db8::9:1];received=[2001:db8::9:255];branch=z9hG4bKas3-111')
        .received,
    ).toBe('[2001:db8::9:255]');
    expect(
      parseVia('SIP/2.0/UDP [2001:db8::9:1];received=2001:db8::9:255;branch=z9hG4bKas3').received,
    ).toBe('2001:db8::9:255');
  });

  it('accepts a branch that is only the magic cookie (RFC 4475 §3.2.1)', () => {
    expect(parseVia('SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK').branch).toBe('z9hG4bK');
  });

  it('rejects bad typed parameters', () => {
    expect(codeAt(() => parseVia('SIP/2.0/UDP a.com;received=a.com'))).toEqual(['INVALID_VIA', 27]);
    expect(codeAt(() => parseVia('SIP/2.0/UDP a.com;received=[::1'))).toEqual(['INVALID_VIA', 27]);
    expect(codeAt(() => parseVia('SIP/2.0/UDP a.com;received=1::2::3'))).toEqual([
      'INVALID_VIA',
      31,
    ]);
    expect(codeAt(() => parseVia('SIP/2.0/UDP a.com;ttl=256'))).toEqual([
      'NUMBER_OUT_OF_RANGE',
      22,
    ]);
    expect(codeAt(() => parseVia('SIP/2.0/UDP a.com;ttl=x'))).toEqual(['INVALID_VIA', 22]);
    expect(codeAt(() => parseVia('SIP/2.0/UDP a.com;rport=65536'))).toEqual([
      'NUMBER_OUT_OF_RANGE',
      24,
    ]);
    expect(codeAt(() => parseVia('SIP/2.0/UDP a.com;branch'))).toEqual(['INVALID_VIA', 18]);
    expect(codeAt(() => parseVia('SIP/2.0/UDP a.com;branch="x"'))).toEqual(['INVALID_VIA', 25]);
    expect(codeAt(() => parseVia('SIP/2.0/UDP a.com;branch=a:b'))).toEqual(['INVALID_VIA', 26]);
    expect(codeAt(() => parseVia('SIP/2.0/UDP a.com;maddr=-x'))).toEqual(['INVALID_VIA', 24]);
  });

  it('rejects a malformed sent-protocol or sent-by', () => {
    expect(codeAt(() => parseVia('SIP/2.0 a.com'))).toEqual(['INVALID_VIA', 8]);
    expect(codeAt(() => parseVia('SIP//UDP a.com'))).toEqual(['INVALID_VIA', 4]);
    expect(codeAt(() => parseVia('SIP/2.0/UDPa.com'))).toEqual(['INVALID_VIA', 16]);
    expect(codeAt(() => parseVia('SIP/2.0/UDP'))).toEqual(['INVALID_VIA', 11]);
    expect(codeAt(() => parseVia('SIP/2.0/UDP '))).toEqual(['INVALID_VIA', 11]);
    expect(codeAt(() => parseVia('SIP/2.0/UDP a.com:'))).toEqual(['INVALID_VIA', 18]);
    expect(codeAt(() => parseVia('SIP/2.0/UDP a.com:99999'))).toEqual(['NUMBER_OUT_OF_RANGE', 18]);
    expect(codeAt(() => parseVia('SIP/2.0/UDP 2001:db8::1'))).toEqual(['INVALID_VIA', 12]);
    expect(codeAt(() => parseVia(''))).toEqual(['INVALID_VIA', 0]);
  });

  it('rejects empty parameters (RFC 4475 §3.1.2.1)', () => {
    expect(codeAt(() => parseVia('SIP/2.0/UDP 192.0.2.15;;'))).toEqual(['INVALID_PARAMETER', 23]);
  });

  it('says what was expected', () => {
    expect(failure(() => parseVia('SIP/2.0/UDP a.com;ttl=300')).message).toMatchInlineSnapshot(
      `"Invalid Via at character 22: expected a ttl 0–255, found "300""`,
    );
  });
});
