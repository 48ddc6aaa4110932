import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
    expect(out).toEqual([
      'profile: interop (leniencies reported as LENIENT_SYNTAX; --strict for RFC 3261 syntax only)',
      'message 1: INVITE sip:bob@example.com SIP/2.0',
      '  ok: no issues',
    ]);
  });
  it('exits 1 when a MUST is broken', async () => {
    const { code, out } = await cli('validate', join(FIXTURES, 'broken-options.sip'));
    expect(code).toBe(1);
    expect(out.join('\n')).toMatch(/Max-Forwards/);
    expect(out.join('\n')).toMatch(/CSeq/);
  });
});

describe('sipwire parse and validate: the interop profile on files, --strict off', () => {
  const lfOnly = join(FIXTURES, 'lf-only.sip');

  it('parse reads an LF-only file, says which profile, and lists the leniency with its offset', async () => {
    const { code, out } = await cli('parse', lfOnly);
    expect(code).toBe(0);
    const line = JSON.parse(out[0] ?? '{}');
    expect(line.profile).toBe('interop');
    expect(line.method).toBe('OPTIONS');
    expect(line.leniencies).toEqual([{ code: 'BARE_LF', offset: 35, count: 9 }]);
    expect(line.issues).toEqual([
      expect.objectContaining({ code: 'LENIENT_SYNTAX', severity: 'SHOULD' }),
    ]);
  });

  it('validate reports the leniency as a SHOULD issue and exits 0', async () => {
    const { code, out } = await cli('validate', lfOnly);
    expect(code).toBe(0);
    expect(out[0]).toMatch(/^profile: interop/);
    expect(out[2]).toMatch(
      /^ {2}SHOULD LENIENT_SYNTAX: Parsed leniently \(BARE_LF, interop profile\): .* at byte 35, 9 times/,
    );
  });

  it('--strict refuses it at the first LF, and the hint names a flag', async () => {
    const parsed = await cli('parse', '--strict', lfOnly);
    expect(parsed.code).toBe(1);
    const error = JSON.parse(parsed.out.at(-1) ?? '{}');
    expect(error).toMatchObject({ profile: 'strict', error: 'INVALID_LINE_ENDING', offset: 35 });
    expect(error.message).toMatch(/run without --strict/);
    const validated = await cli('validate', '--strict', lfOnly);
    expect(validated.code).toBe(1);
    expect(validated.out).toEqual([
      'profile: strict (RFC 3261 syntax only)',
      expect.stringMatching(/^parse error INVALID_LINE_ENDING at byte 35: .*run without --strict/),
    ]);
  });

  it('--strict on a start line only the interop profile reads: the hint says so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sipwire-cli-'));
    const file = join(dir, 'status.sip');
    writeFileSync(file, 'SIP/2.0 200\r\nContent-Length: 0\r\n\r\n');
    const { code, out } = await cli('validate', '--strict', file);
    expect(code).toBe(1);
    expect(out[1]).toMatch(
      /^parse error INVALID_START_LINE at byte 11: .*without --strict, the interop profile reads past this point$/,
    );
  });

  it('every hint names a sipwire flag or nothing, never a library option or limit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sipwire-cli-'));
    const many = join(dir, 'many.sip');
    writeFileSync(
      many,
      `OPTIONS sip:a@b SIP/2.0\r\n${'X-A: 1\r\n'.repeat(300)}Content-Length: 0\r\n\r\n`,
    );
    const big = join(dir, 'big.sip');
    writeFileSync(big, 'MESSAGE sip:a@b SIP/2.0\r\nContent-Length: 99999999\r\n\r\n');
    const runs = [
      await cli('parse', lfOnly),
      await cli('validate', lfOnly),
      await cli('parse', '--strict', lfOnly),
      await cli('validate', '--strict', lfOnly),
      await cli('validate', '--strict', '--datagram', lfOnly),
      await cli('parse', many),
      await cli('validate', many),
      await cli('validate', big),
      await cli('build', '405', join(FIXTURES, 'invite.sip')),
      await cli(
        'build',
        '200',
        join(FIXTURES, 'invite.sip'),
        '--to-tag',
        'x',
        '--header',
        'Content-Type: x',
      ),
    ];
    const text = runs.flatMap((run) => [...run.out, ...run.err]).join('\n');
    expect(text).toMatch(/TOO_MANY_HEADERS/);
    expect(text).toMatch(/BODY_TOO_LARGE/);
    expect(text).not.toMatch(/options\.|limits\.|allowBare|accepts it\)/);
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
      /MISSING_REQUIRED_HEADER.*Allow header is required \(RFC 3261 .*§21\.4\.6.*pass --header 'Allow: …'$/,
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
