// C peers: a small driver per library (bench/native/*.c, sharing driver.h) built with cc and
// pkg-config when first needed, kept in the temporary folder under a hash of its sources. The
// driver parses the corpus and reads the same fields as the JS contestants; it checks (one
// line of fields per message) and times (a JSON line) in its own process, called from the
// child process that measures the cell.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compareReading, createTally, noteFailure } from './check.mjs';
import { createSink } from './sink.mjs';

const NATIVE_DIR = fileURLToPath(new URL('../native/', import.meta.url));
const CACHE_DIR = join(tmpdir(), 'sipwire-bench-native');

/** The version pkg-config reports, or undefined when the library's dev package is absent. */
export function pkgVersion(pkg) {
  try {
    return execFileSync('pkg-config', ['--modversion', pkg], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

/** Builds (or finds built) the driver `source` against `pkg`; the path of the executable. */
function driverPath(source, pkg) {
  const files = [source, 'driver.h'].map((file) => readFileSync(join(NATIVE_DIR, file)));
  const flags = execFileSync('pkg-config', ['--cflags', '--libs', pkg], { encoding: 'utf8' })
    .trim()
    .split(/\s+/)
    .filter((flag) => flag !== '');
  const hash = createHash('sha256');
  for (const file of files) hash.update(file);
  hash.update(flags.join(' '));
  const path = join(CACHE_DIR, `${source.replace(/\.c$/, '')}-${hash.digest('hex').slice(0, 16)}`);
  if (existsSync(path)) return path;
  mkdirSync(CACHE_DIR, { recursive: true });
  // Built under a temporary name, then renamed: two child processes may build at once
  const building = `${path}.${process.pid}`;
  execFileSync('cc', ['-O2', '-o', building, join(NATIVE_DIR, source), ...flags], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  renameSync(building, path);
  return path;
}

/** The corpus as the driver reads it: (4-byte little-endian length, bytes) per message. */
function writeCorpus(corpus) {
  const parts = [];
  for (const entry of corpus) {
    const length = Buffer.alloc(4);
    length.writeUInt32LE(entry.bytes.byteLength);
    parts.push(length, entry.bytes);
  }
  mkdirSync(CACHE_DIR, { recursive: true });
  const path = join(CACHE_DIR, `corpus-${process.pid}.bin`);
  writeFileSync(path, Buffer.concat(parts));
  return path;
}

function run(driver, args) {
  return execFileSync(driver, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

/**
 * A contestant measured by a C driver: parse only (the drivers frame no stream and build no
 * response). `measureParse(corpus, job)` returns the child's result object.
 */
export function nativeContestant({ id, pkg, source, api }) {
  const version = pkgVersion(pkg);
  return {
    id,
    version: version ?? 'absent',
    role: 'peer',
    bodyEncoding: 'bytes',
    api: { parse: api },
    notApplicable: {
      stream: 'C peer: measured on the parse workload only',
      build: 'C peer: measured on the parse workload only',
    },
    measureParse(corpus, job) {
      if (version === undefined) {
        return {
          status: 'skipped',
          reason: `${pkg} not found by pkg-config (install its -dev package)`,
        };
      }
      let driver;
      try {
        driver = driverPath(source, pkg);
      } catch (error) {
        return {
          status: 'unavailable',
          reason: `cannot build ${source}: ${String(error.stderr ?? error.message).slice(0, 200)}`,
        };
      }
      const corpusPath = writeCorpus(corpus);
      const tally = job.check === false ? undefined : checkDriver(driver, corpusPath, corpus, this);
      const start = String(((job.round ?? 0) * 389) % corpus.length);
      const timing = JSON.parse(
        run(driver, [corpusPath, 'time', String(job.warmupMs), String(job.measureMs), start]),
      );
      const seconds = timing.elapsedMs / 1000;
      return {
        status: 'ok',
        version,
        api,
        check: tally,
        messagesPerPass: timing.messagesPerPass,
        passes: timing.passes,
        elapsedMs: timing.elapsedMs,
        messagesPerSecond: (timing.passes * timing.messagesPerPass) / seconds,
        bytesPerSecond: timing.bytes / seconds,
        failuresWhileTimed: timing.failures,
        peakHeapBytes: 0,
        peakRssBytes: timing.peakRssBytes,
      };
    },
  };
}

function checkDriver(driver, corpusPath, corpus, contestant) {
  const lines = run(driver, [corpusPath, 'check']).split('\n');
  const tally = createTally();
  const sink = createSink();
  corpus.forEach((entry, index) => {
    const fields = (lines[index] ?? 'error').split('\t');
    if (fields[0] !== 'ok') {
      noteFailure(
        tally,
        index,
        new Error(`${contestant.id}: message not parsed`),
        entry.expect.malformed,
      );
      return;
    }
    const [, type, status, method, callId, seq, cseqMethod, branch, toTag, bodyLength] = fields;
    const text = (value) => (value === '' ? undefined : value);
    sink.type = type;
    sink.status = type === 'response' ? Number(status) : undefined;
    sink.method = type === 'request' ? method : undefined;
    sink.callId = text(callId);
    sink.seq = Number(seq);
    sink.cseqMethod = text(cseqMethod);
    sink.branch = text(branch);
    sink.toTag = text(toTag);
    sink.body = new Uint8Array(Number(bodyLength));
    compareReading(tally, index, sink, entry.expect, contestant);
  });
  return tally;
}
