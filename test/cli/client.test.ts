import { describe, expect, it } from 'vitest';
import { composeRequest, runRequest } from '../../src/cli/client.js';
import { UsageError } from '../../src/cli/usage-error.js';
import { getHeader, validate } from '../../src/index.js';

const OPTIONS = {
  method: 'INVITE',
  uri: 'sip:bob@127.0.0.1:5099',
  tcp: false,
  headers: [
    { name: 'k', value: '100rel' },
    { name: 'X-Test', value: 'one' },
    { name: 'x-test', value: 'two' },
  ],
  timeoutMs: 1000,
};

describe('composeRequest', () => {
  it('builds the request of `sipwire request` with buildRequest', () => {
    const request = composeRequest(OPTIONS, { address: '::1', port: 5070 });
    expect(request.uri).toBe('sip:bob@127.0.0.1:5099');
    expect(getHeader(request, 'Via')).toMatch(
      /^SIP\/2\.0\/UDP \[::1\]:5070;branch=z9hG4bK[0-9a-f]{16};rport$/,
    );
    expect(getHeader(request, 'Contact')).toBe('<sip:sipwire@[::1]:5070>');
    expect(getHeader(request, 'Supported')).toBe('100rel');
    expect(request.headers.filter((field) => field.name === 'X-Test').map((f) => f.value)).toEqual([
      'one',
      'two',
    ]);
    expect(getHeader(request, 'User-Agent')).toBe('sipwire');
    expect(validate(request).filter((issue) => issue.severity === 'MUST')).toEqual([]);
    const named = composeRequest(
      { ...OPTIONS, headers: [{ name: 'user-agent', value: 'mine' }] },
      { address: '127.0.0.1', port: 5070 },
    );
    expect(getHeader(named, 'User-Agent')).toBe('mine');
  });
});

describe('runRequest', () => {
  it('turns a header the builder writes into a usage error before sending anything', async () => {
    const run = runRequest(
      { ...OPTIONS, headers: [{ name: 'CSeq', value: '9 INVITE' }] },
      () => {},
    );
    await expect(run).rejects.toBeInstanceOf(UsageError);
    await expect(run).rejects.toThrow(/set it through options\.cseq/);
  });

  it('asks for the headers the method table requires', async () => {
    await expect(
      runRequest({ ...OPTIONS, method: 'SUBSCRIBE', headers: [] }, () => {}),
    ).rejects.toThrow(/an Event header is required/);
  });
});
