#!/usr/bin/env node
// `npm run linear`: shows that parsing, the typed accessors and validate stay linear on hostile
// shapes. Each shape is built at doubling sizes and timed; the ratio t(2N) / t(N) must stay near
// 2, and the growth exponent k fitted over all sizes near 1 (above 1.5 the row is marked
// SUPERLINEAR; a quadratic stage shows 2). Not a test: the numbers are wall-clock times and vary
// with the machine, so no test asserts them; the tests use the parser's `steps` counter instead
// (test/security/bounded.test.ts). Run with --expose-gc (each timing starts after a collection)
// and a young generation large enough for the biggest size (--max-semi-space-size=64), as
// `npm run linear` does, or V8's heap thresholds show up as jumps in single doublings.
//
//   node bench/linear/linear.mjs [--from KiB] [--to KiB] [--bytes-to KiB] [--only NAME]
//
// --from / --to  the size range for whole-buffer parsing (default 256 → 4096 KiB)
// --bytes-to     the largest size fed one byte per push() (default 2048 KiB: 2 million calls)
// --only         run the shapes whose name contains this text
//
// Runs against the built package (dist/); `npm run linear` builds first.

import { parseArgs } from 'node:util';

const lib = await import(new URL('../../dist/index.js', import.meta.url).href);

const { values } = parseArgs({
  options: {
    from: { type: 'string', default: '256' },
    to: { type: 'string', default: '4096' },
    'bytes-to': { type: 'string', default: '2048' },
    only: { type: 'string', default: '' },
  },
});

const KIB = 1024;
const from = Number(values.from) * KIB;
const to = Number(values.to) * KIB;
const bytesTo = Number(values['bytes-to']) * KIB;
/**
 * A stage is judged by its growth exponent k in t ∝ size^k, fitted over every size whose time is
 * above a millisecond (single doublings are noisy on a shared machine): 1 is linear, 2 quadratic.
 * At millions of objects V8 itself grows faster than linear (garbage collection, hash tables
 * that outgrow the caches): the baseline printed at the end, a plain Map filled with short
 * keys, shows how much on this machine. Only a clearly steeper stage is called superlinear.
 */
const SUPERLINEAR = 1.5;

// Hostile sizes need the limits out of the way: this measures the work, not the refusal.
const LIMITS = {
  maxStartLineBytes: 64 * KIB,
  maxHeaderSectionBytes: 64 * 1024 * KIB,
  maxHeaderLineBytes: 64 * 1024 * KIB,
  maxHeaderCount: 100_000_000,
  maxBodyBytes: KIB,
};

const encoder = new TextEncoder();
const START =
  'INVITE sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/UDP h.example.com;branch=z9hG4bK1\r\n' +
  'To: <sip:bob@example.com>\r\nFrom: <sip:alice@example.com>;tag=1\r\nCall-ID: c@h\r\n' +
  'CSeq: 1 INVITE\r\nMax-Forwards: 70\r\n';

/** n copies of `text`, so that the whole is about `size` bytes. */
const fill = (text, size) => text.repeat(Math.max(1, Math.floor(size / text.length)));

/**
 * The hostile shapes: each makes header lines of about `size` bytes, and names the accessors
 * (and header-value parsers) that read them.
 */
const SHAPES = [
  {
    name: 'folded header, one continuation per 4 bytes',
    lines: (size) => `X-Fold: a${fill('\r\n b', size)}\r\n`,
    read: (message) => message.headers.length,
  },
  {
    name: 'tiny headers (a:b), 100 000 per 500 KB',
    lines: (size) => fill('a:b\r\n', size),
    read: (message) => message.headers.length,
  },
  {
    name: 'quoted display name',
    lines: (size) => `From: "${fill('q', size)}" <sip:a@example.com>;tag=2\r\n`,
    read: (message) => message.from,
  },
  {
    name: 'quoted-pairs in a display name',
    lines: (size) => `Contact: "${fill('\\"', size)}" <sip:a@example.com>\r\n`,
    read: (message) => message.contact,
  },
  {
    name: 'comment in Retry-After',
    lines: (size) => `Retry-After: 120 (${fill('c', size)})\r\n`,
    read: (message) => lib.parseRetryAfter(lib.getHeader(message, 'Retry-After') ?? ''),
  },
  {
    name: 'nested comments ((((…))))',
    lines: (size) => `Retry-After: 120 ${fill('(', size / 2)}${fill(')', size / 2)}\r\n`,
    read: (message) => lib.parseRetryAfter(lib.getHeader(message, 'Retry-After') ?? ''),
  },
  {
    name: 'nested < in a Contact list',
    lines: (size) => `Contact: ${fill('<', size)}sip:a@example.com>\r\n`,
    read: (message) => attempt(() => message.contact),
  },
  {
    name: 'nested " in a Contact list',
    lines: (size) => `Contact: ${fill('"', size)}\r\n`,
    read: (message) => attempt(() => message.contact),
  },
  {
    name: 'nested ( in a Contact list',
    lines: (size) =>
      `Contact: <sip:a@example.com> ${fill('(', size / 2)}${fill(')', size / 2)}\r\n`,
    read: (message) => attempt(() => message.contact),
  },
  {
    name: 'commas: a Via list',
    lines: (size) => `Via: ${fill('SIP/2.0/UDP h, ', size)}SIP/2.0/UDP h\r\n`,
    read: (message) => message.via.length,
  },
  {
    name: 'commas: option-tags',
    lines: (size) => `Supported: ${fill('a, ', size)}b\r\n`,
    read: (message) => message.supported.length,
  },
  {
    name: 'commas: empty list elements',
    lines: (size) => `Route: ${fill(',', size)}\r\n`,
    read: (message) => attempt(() => message.route),
  },
  {
    name: 'semicolons: header parameters',
    lines: (size) => {
      let params = '';
      for (let i = 0; params.length < size; i++) params += `;p${i}`;
      return `Record-Route: <sip:p.example.com;lr>${params}\r\n`;
    },
    read: (message) => message.recordRoute,
  },
  {
    name: 'semicolons: URI parameters',
    lines: (size) => {
      let params = '';
      for (let i = 0; params.length < size; i++) params += `;u${i}`;
      return `Route: <sip:p.example.com${params}>\r\n`;
    },
    read: (message) =>
      lib.parseUri(message.route[0]?.wildcard === false ? message.route[0].uri : ''),
  },
  {
    name: 'escapes: %41 in a URI user',
    lines: (size) => `Reply-To: <sip:${fill('%41', size)}@example.com>\r\n`,
    read: (message) => {
      const [reply] = message.replyTo;
      return lib.parseUri(reply?.wildcard === false ? reply.uri : '');
    },
  },
];

/** The accessor result, or the ParseError it threw: refusing fast is fine, throwing else is not. */
function attempt(read) {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof lib.ParseError)) throw error;
    return error.code;
  }
}

function messageOf(shape, size) {
  return encoder.encode(`${START}${shape.lines(size)}Content-Length: 0\r\n\r\n`);
}

/** Collects garbage when node runs with --expose-gc, so one run does not pay for the last. */
const collect = typeof globalThis.gc === 'function' ? globalThis.gc : () => undefined;

/** Best of `reps` runs of `run(setup())`, in milliseconds; `setup` is not timed. */
function time(run, reps, setup = () => undefined) {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < reps; i++) {
    const input = setup();
    collect();
    const started = performance.now();
    run(input);
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

function streamBytewise(bytes) {
  const parser = lib.createParser({ limits: LIMITS });
  let count = 0;
  for (let i = 0; i < bytes.length; i++) count += parser.push(bytes.subarray(i, i + 1)).length;
  if (count !== 1) throw new Error(`expected one message, got ${count}`);
  return parser.steps;
}

/** Times every stage of one shape at one size. */
function measure(shape, size) {
  const bytes = messageOf(shape, size);
  const reps = size <= KIB * KIB ? 5 : 3;
  const row = {};
  row.datagram = time(() => lib.parseDatagram(bytes, { limits: LIMITS }), reps);
  row.stream = time(() => {
    const parser = lib.createParser({ limits: LIMITS });
    if (parser.push(bytes).length !== 1) throw new Error('expected one message');
  }, reps);
  if (size <= bytesTo) {
    let steps = 0;
    row['1-byte'] = time(() => {
      steps = streamBytewise(bytes);
    }, 1);
    row.stepsPerByte = steps / bytes.length;
  }
  // Each reading gets a freshly parsed message: the accessors cache what they compute.
  const fresh = () => lib.parseDatagram(bytes, { limits: LIMITS });
  row.accessors = time((message) => shape.read(message), reps, fresh);
  row.validate = time((message) => lib.validate(message), reps, fresh);
  return row;
}

/**
 * Least-squares slope of log(time) over log(size) for the doubling series, using the points
 * above a millisecond; undefined with fewer than three such points.
 */
function exponent(times) {
  const points = times
    .map((value, index) => [index, value])
    .filter(([, value]) => value >= 1)
    .map(([index, value]) => [index, Math.log2(value)]);
  if (points.length < 3) return undefined;
  const meanX = points.reduce((sum, [x]) => sum + x, 0) / points.length;
  const meanY = points.reduce((sum, [, y]) => sum + y, 0) / points.length;
  let covariance = 0;
  let variance = 0;
  for (const [x, y] of points) {
    covariance += (x - meanX) * (y - meanY);
    variance += (x - meanX) ** 2;
  }
  return covariance / variance;
}

const sizes = [];
for (let size = from; size <= to; size *= 2) sizes.push(size);
const STAGES = ['datagram', 'stream', '1-byte', 'accessors', 'validate'];

console.log(
  `sipwire linear-time check: Node ${process.version}, sizes ${sizes.map((size) => `${size / KIB} KiB`).join(' → ')}` +
    ` (1-byte chunks up to ${bytesTo / KIB} KiB); ratio = t(2N) / t(N), linear ≈ 2;` +
    ` k = fitted exponent of t ∝ N^k, linear ≈ 1${typeof globalThis.gc === 'function' ? '' : ' (run with --expose-gc for steadier numbers)'}`,
);
const superlinear = [];
for (const shape of SHAPES) {
  if (!shape.name.includes(values.only)) continue;
  const rows = sizes.map((size) => measure(shape, size));
  console.log(`\n${shape.name}`);
  for (const stage of STAGES) {
    const times = rows.map((row) => row[stage]).filter((value) => value !== undefined);
    if (times.length === 0) continue;
    const ratios = [];
    for (let i = 1; i < times.length; i++) {
      // Below a millisecond the clock's noise dominates: such doublings are not shown.
      ratios.push(times[i - 1] < 1 ? Number.NaN : times[i] / times[i - 1]);
    }
    const k = exponent(times);
    const flag = k !== undefined && k > SUPERLINEAR ? '  SUPERLINEAR' : '';
    if (flag !== '') superlinear.push(`${shape.name}: ${stage} (k = ${k?.toFixed(2)})`);
    console.log(
      `  ${stage.padEnd(10)} ms ${times.map((value) => value.toFixed(1).padStart(8)).join('')}   ratios ${ratios
        .map((ratio) => (Number.isNaN(ratio) ? '   -' : ratio.toFixed(2).padStart(5)))
        .join(' ')}   k ${k === undefined ? '-' : k.toFixed(2)}${flag}`,
    );
  }
  const steps = rows.map((row) => row.stepsPerByte).filter((value) => value !== undefined);
  console.log(`  steps/byte (1-byte chunks) ${steps.map((value) => value.toFixed(2)).join(' ')}`);
}

// The platform's own growth for comparison: a Map of short string keys, as many as a
// parameter list of the same size would hold.
if (values.only === '') {
  const baseline = sizes.map((size) => {
    const count = Math.floor(size / 5);
    return time(() => {
      const map = new Map();
      for (let i = 0; i < count; i++) map.set(`p${i}`, undefined);
    }, 3);
  });
  const k = exponent(baseline);
  console.log(
    `\nbaseline: a V8 Map of size/5 short keys\n  ${'map'.padEnd(10)} ms ${baseline
      .map((value) => value.toFixed(1).padStart(8))
      .join('')}   k ${k === undefined ? '-' : k.toFixed(2)}`,
  );
}

console.log(
  superlinear.length === 0
    ? '\nNo superlinear stage.'
    : `\nSuperlinear (exponent above ${SUPERLINEAR}):\n  ${superlinear.join('\n  ')}`,
);
process.exitCode = superlinear.length === 0 ? 0 : 1;
