/**
 * examples/capture: `sipwire validate` on a hand-written TCP capture with two deliberate
 * defects, run the way the README says (`node bin/sipwire.js validate FILE`).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, REPO_ROOT, run } from '../package/harness.js';

describe('sipwire validate examples/capture/capture.sip', () => {
  beforeAll(async () => {
    await ensureBuilt();
  }, 120_000);

  it('reports each message and exits 1 because two break a MUST rule', async () => {
    const result = await run(
      process.execPath,
      ['bin/sipwire.js', 'validate', 'examples/capture/capture.sip'],
      {
        cwd: REPO_ROOT,
      },
    );
    expect(result.stderr).toBe('');
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines.filter((line) => line.startsWith('message '))).toEqual([
      'message 1: INVITE sip:bob@example.com SIP/2.0',
      'message 2: SIP/2.0 180 Ringing',
      'message 3: BYE sip:bob@192.0.2.4;transport=tcp SIP/2.0',
      'message 4: SIP/2.0 405 Method Not Allowed',
    ]);
    const issues = lines
      .filter((line) => /^ {2}(MUST|SHOULD) /.test(line))
      .map((line) => line.trim().split(':')[0]?.replace(/ +/, ' '));
    expect(issues).toEqual(['MUST CSEQ_METHOD_MISMATCH', 'MUST MISSING_REQUIRED_HEADER']);
    expect(lines.filter((line) => line === '  ok: no issues')).toHaveLength(2);
    expect(result.code).toBe(1);
  });

  it('reads the same capture as a datagram and stops at the first message', async () => {
    const result = await run(
      process.execPath,
      ['bin/sipwire.js', 'validate', '--datagram', 'examples/capture/capture.sip'],
      { cwd: REPO_ROOT },
    );
    // RFC 3261 §18.3: in a datagram Content-Length frames the body; what follows is ignored.
    const [profile, first] = result.stdout.split('\n');
    expect(profile).toMatch(/^profile: interop /);
    expect(first).toBe('message 1: INVITE sip:bob@example.com SIP/2.0');
    expect(result.stdout).not.toContain('message 2');
    expect(result.code).toBe(0);
  });
});
