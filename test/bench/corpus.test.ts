/**
 * The benchmark inputs are what the suite says they are: deterministic, inside the size and
 * shape rules of issue 6, with expected values the reference reader agrees with, and a stream
 * whose chunks put the corpus back together exactly.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  type CorpusEntry,
  generateCorpus,
  loadCorpus,
  loadRealCorpus,
  MAX_CHUNK_BYTES,
  MAX_HEADER_COUNT,
  MAX_MESSAGE_BYTES,
  MESSAGE_COUNT,
  MIN_CHUNK_BYTES,
  MIN_HEADER_COUNT,
  MIN_MESSAGE_BYTES,
  REAL_CORPUS_DIR,
  REAL_MALFORMED,
  SYNTHETIC_SEED,
  toStream,
} from '../../bench/lib/corpus.mjs';
import { createRandom } from '../../bench/lib/random.mjs';
import { frameStream, readMessage } from '../../bench/lib/reference.mjs';
import { sharedAvailable } from '../helpers/shared.js';

function corpus(name: string): CorpusEntry[] {
  const entries = loadCorpus(name);
  if (entries === undefined) throw new Error(`corpus ${name} is missing`);
  return entries;
}

function digest(entries: readonly CorpusEntry[]): string {
  const hash = createHash('sha256');
  for (const entry of entries) hash.update(entry.bytes);
  return hash.digest('hex');
}

const synthetic = corpus('synthetic');
const torture = corpus('torture');

describe('createRandom', () => {
  it('gives the same sequence for the same seed and another for another seed', () => {
    const first = createRandom(7);
    const second = createRandom(7);
    const other = createRandom(8);
    const a = Array.from({ length: 5 }, () => first.nextUint32());
    expect(Array.from({ length: 5 }, () => second.nextUint32())).toEqual(a);
    expect(Array.from({ length: 5 }, () => other.nextUint32())).not.toEqual(a);
  });

  it('keeps int() inside its bounds, both ends reachable', () => {
    const random = createRandom(1);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) seen.add(random.int(1, 4));
    expect([...seen].sort()).toEqual([1, 2, 3, 4]);
  });
});

describe('generated corpora', () => {
  it('are byte-identical on every run (pinned digests: update them only on purpose)', () => {
    // Results are compared across runs and machines, so the inputs may not drift.
    expect(digest(synthetic)).toBe(
      '70e3dd95607a4d8d9fb5007604d760eb07b0a70344fad2bdfd2537510ac55545',
    );
    expect(digest(torture)).toBe(
      'dcc55f18a2152ae106278548234519512569ad2519a51b2709b41ddfa1ec7ec0',
    );
    const again = generateCorpus({ seed: SYNTHETIC_SEED, count: 50, torture: false });
    expect(digest(again)).toBe(digest(synthetic.slice(0, 50)));
  });

  it.each([
    ['synthetic', synthetic],
    ['torture', torture],
  ])('%s: every message is 400–1500 bytes with 10–20 header fields and 2–4 Via', (_, entries) => {
    expect(entries).toHaveLength(MESSAGE_COUNT);
    for (const entry of entries) {
      expect(entry.bytes.byteLength).toBeGreaterThanOrEqual(MIN_MESSAGE_BYTES);
      expect(entry.bytes.byteLength).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
      const reading = readMessage(entry.bytes);
      expect(reading.headerCount).toBeGreaterThanOrEqual(MIN_HEADER_COUNT);
      expect(reading.headerCount).toBeLessThanOrEqual(MAX_HEADER_COUNT);
      expect(reading.viaCount).toBeGreaterThanOrEqual(2);
      expect(reading.viaCount).toBeLessThanOrEqual(4);
    }
  });

  it.each([
    ['synthetic', synthetic],
    ['torture', torture],
  ])('%s: the reference reader agrees with every expected value', (_, entries) => {
    for (const entry of entries) {
      const reading = readMessage(entry.bytes);
      expect({
        type: reading.type,
        status: reading.status,
        method: reading.method,
        callId: reading.callId,
        seq: reading.seq,
        cseqMethod: reading.cseqMethod,
        branch: reading.branch,
        toTag: reading.toTag,
        bodyByteLength: reading.bodyByteLength,
      }).toEqual(entry.expect);
    }
  });

  it('holds the mix of issue 6: mostly responses, every listed code and method', () => {
    const responses = synthetic.filter((entry) => entry.expect.type === 'response');
    expect(responses.length / synthetic.length).toBeGreaterThan(0.6);
    const statuses = new Set(
      responses.map((entry) => `${entry.expect.status} ${entry.expect.cseqMethod}`),
    );
    for (const status of ['100 INVITE', '180 INVITE', '183 INVITE', '200 INVITE', '200 REGISTER']) {
      expect(statuses).toContain(status);
    }
    for (const status of ['401', '407', '404', '405', '486', '487', '503']) {
      expect([...statuses].some((key) => key.startsWith(status))).toBe(true);
    }
    const methods = new Set(synthetic.map((entry) => entry.expect.method));
    for (const method of ['INVITE', 'REGISTER', 'OPTIONS', 'BYE', 'ACK'])
      expect(methods).toContain(method);
  });

  it('gives 183 and 200-to-INVITE an SDP body and adds Record-Route chains', () => {
    for (const entry of synthetic) {
      const { status, cseqMethod, bodyByteLength } = entry.expect;
      if (status === 183 || (status === 200 && cseqMethod === 'INVITE')) {
        expect(bodyByteLength).toBeGreaterThan(100);
        expect(entry.bytes.toString('latin1')).toContain('\r\nContent-Type: application/sdp\r\n');
      }
    }
    const withChains = synthetic.filter((entry) =>
      readMessage(entry.bytes).fields.some((field) => field.name === 'record-route'),
    );
    expect(withChains.length).toBeGreaterThan(100);
  });

  it('writes the torture corpus with compact names, folding, odd whitespace and UTF-8', () => {
    const text = torture.map((entry) => entry.bytes.toString('latin1')).join('');
    expect(text).toMatch(/\r\n[vftimlck] *:/);
    expect(text).toMatch(/\r\n[ \t]+\S/);
    expect(text).toMatch(/\r\n[A-Za-z-]+[ \t]+:/);
    expect(text).toMatch(/SIP \/ 2\.0 \/ /);
    expect(torture.some((entry) => entry.bytes.some((byte) => byte >= 0x80))).toBe(true);
    expect(synthetic.every((entry) => entry.bytes.every((byte) => byte < 0x80))).toBe(true);
  });
});

describe('toStream', () => {
  it('cuts the corpus into 1–1500-byte chunks that join back into it exactly', () => {
    const stream = toStream(synthetic);
    const joined = Buffer.concat(stream.chunks);
    expect(joined.equals(Buffer.concat(synthetic.map((entry) => entry.bytes)))).toBe(true);
    expect(stream.byteLength).toBe(joined.byteLength);
    for (const chunk of stream.chunks.slice(0, -1)) {
      expect(chunk.byteLength).toBeGreaterThanOrEqual(MIN_CHUNK_BYTES);
      expect(chunk.byteLength).toBeLessThanOrEqual(MAX_CHUNK_BYTES);
    }
    expect(frameStream(joined)).toHaveLength(MESSAGE_COUNT);
  });

  it('cuts the same way every time for the same seed', () => {
    const sizes = (seed: number) => toStream(torture, seed).chunks.map((chunk) => chunk.byteLength);
    expect(sizes(1500)).toEqual(sizes(1500));
    expect(sizes(1500)).not.toEqual(sizes(1501));
  });
});

describe.skipIf(!sharedAvailable('corpus/real'))('the real corpus, read in place', () => {
  const real = loadRealCorpus(REAL_CORPUS_DIR) ?? [];

  it('has 83 messages: 80 files, the TCP capture 019 split into its 4', () => {
    expect(real).toHaveLength(83);
    expect(real.filter((entry) => entry.file?.startsWith('019-'))).toHaveLength(4);
  });

  it('keeps datagrams with octets past Content-Length and malformed files out of the stream', () => {
    const stream = toStream(real);
    const left = real
      .filter((entry) => !stream.messages.includes(entry))
      .map((entry) => entry.file);
    expect(left.sort()).toEqual(Object.keys(REAL_MALFORMED).sort());
    expect(frameStream(Buffer.concat(stream.chunks))).toHaveLength(stream.messages.length);
  });

  it('frames 076 by Content-Length: 272 body bytes of the 372 present', () => {
    const entry = real.find((candidate) => candidate.file === '076-invite-compact-form.sip');
    expect(entry?.expect.bodyByteLength).toBe(272);
    expect(entry?.expect.malformed).toBe(REAL_MALFORMED['076-invite-compact-form.sip']);
  });
});
