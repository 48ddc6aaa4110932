import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'cli');

async function cli(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(
    argv,
    (line) => out.push(line),
    (line) => err.push(line),
  );
  return { code, out, err };
}

describe('sipwire codes', () => {
  it('prints every row of the table', async () => {
    const { code, out } = await cli('codes');
    expect(code).toBe(0);
    expect(out.at(-1)).toBe('75 codes');
    expect(out.some((line) => /^606 {3}Not Acceptable +SESSION_NOT_ACCEPTABLE/.test(line))).toBe(
      true,
    );
  });
  it("prints one code's rules", async () => {
    const { code, out } = await cli('codes', '405');
    expect(code).toBe(0);
    expect(out[0]).toBe('405 Method Not Allowed');
    expect(out.join('\n')).toMatch(/MUST +Allow — when always/);
  });
  it('says how an unregistered code is treated', async () => {
    const { out } = await cli('codes', '499');
    expect(out[0]).toMatch(/treats an unknown client-error response as 400 Bad Request/);
  });
  it('refuses a bad code with exit 2 and one line', async () => {
    const { code, err } = await cli('codes', '7000');
    expect(code).toBe(2);
    expect(err).toHaveLength(1);
  });
});

describe('sipwire command line', () => {
  it('refuses unknown flags and commands with exit 2 and one line, no stack trace', async () => {
    for (const argv of [
      ['codes', '--bogus'],
      ['frobnicate'],
      ['serve', '--port', 'x'],
      ['serve', '--tcp-max-connections', '0'],
      ['serve', '--tcp-idle-ms', '-1'],
      ['serve', '--tcp-incomplete-ms', '1.5'],
      ['build'],
    ]) {
      const { code, err } = await cli(...argv);
      expect(code, argv.join(' ')).toBe(2);
      expect(err, argv.join(' ')).toHaveLength(1);
      expect(err[0]).not.toMatch(/\n\s+at /);
    }
  });
  it.each(['serve', 'request', 'parse', 'validate', 'build', 'codes'])(
    'has --help for %s',
    async (command) => {
      const { code, out } = await cli(command, '--help');
      expect(code).toBe(0);
      expect(out[0]).toMatch(new RegExp(`^Usage: sipwire ${command}`));
    },
  );
  it('documents the TCP limits in serve --help with their defaults', async () => {
    const { out } = await cli('serve', '--help');
    const help = out.join('\n');
    expect(help).toMatch(/--tcp-idle-ms MS[\s\S]*default 120000/);
    expect(help).toMatch(/--tcp-incomplete-ms MS[\s\S]*default 20000/);
    expect(help).toMatch(/--tcp-max-connections N[\s\S]*default 2048/);
  });
});

describe('sipwire parse', () => {
  it('prints a JSON line per message', async () => {
    const { code, out } = await cli('parse', join(FIXTURES, 'invite.sip'));
    expect(code).toBe(0);
    const line = JSON.parse(out[0] ?? '{}');
    expect(line.method).toBe('INVITE');
    expect(line.bodyBytes).toBe(4);
    expect(line.headers[0]).toEqual([
      'Via',
      'SIP/2.0/UDP pc33.example.com;branch=z9hG4bK776asdhds',
    ]);
    expect(line.issues).toEqual([]);
  });
  it('lists the validation issues of a message that parses', async () => {
    const { code, out } = await cli('parse', '--datagram', join(FIXTURES, 'broken-options.sip'));
    expect(code).toBe(0);
    const codes = JSON.parse(out[0] ?? '{}').issues.map((issue: { code: string }) => issue.code);
    expect(codes).toContain('MISSING_MANDATORY_HEADER');
    expect(codes).toContain('CSEQ_METHOD_MISMATCH');
  });
  it('reports a parse error with its byte offset and exit 1', async () => {
    const input = join(FIXTURES, 'bad-status.sip');
    const { code, out } = await cli('parse', input);
    expect(code).toBe(1);
    expect(JSON.parse(out.at(-1) ?? '{}')).toMatchObject({
      error: 'INVALID_STATUS_CODE',
      offset: 8,
    });
  });
  it('refuses a missing file with exit 2', async () => {
    const { code, err } = await cli('parse', join(FIXTURES, 'nope.sip'));
    expect(code).toBe(2);
    expect(err[0]).toMatch(/cannot read/);
  });
});

describe('sipwire validate', () => {
  it('passes a valid request', async () => {
    const { code, out } = await cli('validate', join(FIXTURES, 'invite.sip'));
    expect(code).toBe(0);
    expect(out).toEqual(['message 1: INVITE sip:bob@example.com SIP/2.0', '  ok: no issues']);
  });
  it('exits 1 when a MUST is broken', async () => {
    const { code, out } = await cli('validate', join(FIXTURES, 'broken-options.sip'));
    expect(code).toBe(1);
    expect(out.join('\n')).toMatch(/Max-Forwards/);
    expect(out.join('\n')).toMatch(/CSeq/);
  });
});

describe('sipwire build', () => {
  it('prints the response as wire text', async () => {
    const { code, out } = await cli(
      'build',
      '486',
      join(FIXTURES, 'invite.sip'),
      '--to-tag',
      'abc123',
    );
    expect(code).toBe(0);
    const text = out.join('\n');
    expect(text).toMatch(/^SIP\/2\.0 486 Busy Here\r\n/);
    expect(text).toContain('To: Bob <sip:bob@example.com>;tag=abc123\r\n');
    expect(text).toContain('Content-Length: 0\r\n');
  });
  it('prints the BuildError for a 405 without Allow, exit 1', async () => {
    const { code, err } = await cli('build', '405', join(FIXTURES, 'invite.sip'));
    expect(code).toBe(1);
    expect(err[0]).toMatch(
      /MISSING_REQUIRED_HEADER.*Allow header is required \(RFC 3261 .*§21\.4\.6.*pass options\.allow/,
    );
  });
  it('builds a 405 when Allow is given', async () => {
    const { code, out } = await cli(
      'build',
      '405',
      join(FIXTURES, 'invite.sip'),
      '--header',
      'Allow: INVITE, ACK, CANCEL, BYE',
    );
    expect(code).toBe(0);
    expect(out.join('\n')).toContain('Allow: INVITE, ACK, CANCEL, BYE\r\n');
  });
});
