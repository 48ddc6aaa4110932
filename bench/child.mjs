// One measurement in a fresh process: one contestant, one workload, one corpus. It checks the
// contestant's answers first, warms up, then times whole passes over the corpus and sends one
// result to the parent (bench/run.mjs) over the fork IPC channel.
//
// Also runnable by hand, e.g. under the profiler:
//   node --cpu-prof bench/child.mjs '{"contestant":"sipwire","workload":"parse","corpus":"synthetic","warmupMs":500,"measureMs":5000}'

import { loadContestant } from './contestants/index.mjs';
import { BUILD_TO_TAG, buildPlan, isBuildable, planContent } from './lib/build-plan.mjs';
import { compareReading, compareResponse, createTally, noteFailure } from './lib/check.mjs';
import { loadCorpus, toStream } from './lib/corpus.mjs';
import { createSink, poisonSink } from './lib/sink.mjs';

async function run(job) {
  const { contestant: id, workload, corpus: corpusName, warmupMs, measureMs } = job;
  if (id === 'baseline') return baseline(corpusName);
  let contestant;
  try {
    contestant = await loadContestant(id);
  } catch (error) {
    return { status: 'unavailable', reason: `cannot load: ${error.message}` };
  }
  // build-bare calls the same API as build, with no options
  const api = workload === 'build-bare' ? 'build' : workload;
  const reason = contestant.notApplicable[api];
  if (reason !== undefined) return { status: 'n/a', reason, version: contestant.version };
  const corpus = loadCorpus(corpusName);
  if (corpus === undefined) return { status: 'skipped', reason: `corpus ${corpusName} absent` };

  if (contestant.measureParse !== undefined) return contestant.measureParse(corpus, job);
  const bench =
    workload === 'parse'
      ? parseBench(contestant, corpus, job.round ?? 0)
      : workload === 'stream'
        ? streamBench(contestant, corpus)
        : buildBench(contestant, corpus, workload);
  // The check runs once per cell (the parent asks for it in the first round); it also warms up.
  const tally = job.check === false ? undefined : bench.check();
  const timing = measure(bench.pass, warmupMs, measureMs);
  const seconds = timing.elapsedMs / 1000;
  return {
    status: 'ok',
    version: contestant.version,
    api: contestant.api[api],
    check: tally,
    messagesPerPass: bench.messages,
    passes: timing.passes,
    elapsedMs: timing.elapsedMs,
    messagesPerSecond: (timing.passes * bench.messages) / seconds,
    bytesPerSecond: timing.bytes / seconds,
    failuresWhileTimed: bench.failures(),
    peakHeapBytes: timing.peakHeapBytes,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
  };
}

const HEAP_SAMPLE_EVERY_MS = 20;

/** Memory of a process that only built the corpus: the floor under every contestant's figures. */
function baseline(corpusName) {
  const corpus = loadCorpus(corpusName);
  if (corpus === undefined) return { status: 'skipped', reason: `corpus ${corpusName} absent` };
  if (corpus.length > 0) toStream(corpus);
  return {
    status: 'ok',
    peakHeapBytes: process.memoryUsage().heapUsed,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
  };
}

/**
 * Runs `pass` for warmupMs, then times passes until measureMs of pass time has run (at least
 * three). Each pass returns the bytes it handled (input bytes; output bytes for build). Only
 * the passes are timed; heap samples are taken between them, every 20 ms or so.
 */
function measure(pass, warmupMs, measureMs) {
  const warmupEnd = performance.now() + warmupMs;
  do pass();
  while (performance.now() < warmupEnd);
  let elapsedMs = 0;
  let passes = 0;
  let bytes = 0;
  let peakHeapBytes = process.memoryUsage().heapUsed;
  let nextSampleMs = HEAP_SAMPLE_EVERY_MS;
  while (elapsedMs < measureMs || passes < 3) {
    const start = performance.now();
    bytes += pass();
    elapsedMs += performance.now() - start;
    passes++;
    if (elapsedMs >= nextSampleMs) {
      nextSampleMs = elapsedMs + HEAP_SAMPLE_EVERY_MS;
      const heap = process.memoryUsage().heapUsed;
      if (heap > peakHeapBytes) peakHeapBytes = heap;
    }
  }
  return { passes, elapsedMs, bytes, peakHeapBytes };
}

/**
 * Checks one decoded message: a throw while decoding or reading the start line, Call-ID or
 * body is fatal; a throw while reading CSeq, Via or To is minor (compareReading then skips
 * those fields).
 */
function checkMessage(tally, index, contestant, sink, decode, expect) {
  poisonSink(sink);
  let message;
  try {
    message = decode();
    if (message === undefined || message === null) throw new Error('no message returned');
    contestant.readCore(message, sink);
  } catch (error) {
    noteFailure(tally, index, error, expect.malformed);
    return;
  }
  let restError;
  try {
    contestant.readRest(message, sink);
  } catch (error) {
    restError = error;
  }
  compareReading(tally, index, sink, expect, contestant, restError);
}

// A parse pass is a batch of this many messages, taken round-robin through the corpus, so a
// slow contestant still gets many timed passes and a fast one pays little timer overhead.
const PARSE_BATCH = 64;

function parseBench(contestant, corpus, round) {
  const messages = corpus.map((entry) => entry.bytes);
  const count = messages.length;
  const batch = Math.min(PARSE_BATCH, count);
  const { decode, readCore, readRest } = contestant;
  const sink = createSink();
  // Each round starts at another place in the corpus, so slow contestants, which get through
  // only part of it per round, see all of it over the rounds.
  let next = (round * 389) % count;
  let failures = 0;
  return {
    messages: batch,
    failures: () => failures,
    check() {
      const tally = createTally();
      for (let i = 0; i < count; i++) {
        checkMessage(tally, i, contestant, sink, () => decode(messages[i]), corpus[i].expect);
      }
      return tally;
    },
    pass() {
      let bytes = 0;
      for (let n = 0; n < batch; n++) {
        const input = messages[next];
        next = next + 1 === count ? 0 : next + 1;
        bytes += input.byteLength;
        try {
          const message = decode(input);
          readCore(message, sink);
          readRest(message, sink);
        } catch {
          failures++;
        }
      }
      return bytes;
    },
  };
}

function streamBench(contestant, corpus) {
  const { chunks, messages, byteLength } = toStream(corpus);
  const { readCore, readRest } = contestant;
  const sink = createSink();
  let received = 0;
  let failures = 0;
  // Reads in the timed path are guarded one message at a time, so a throw cannot abandon the
  // rest of a chunk's messages or leave a contestant's parser half-way through a callback.
  const readMessage = (message) => {
    received++;
    try {
      readCore(message, sink);
      readRest(message, sink);
    } catch {
      failures++;
    }
  };
  return {
    messages: messages.length,
    failures: () => failures,
    check() {
      const tally = createTally();
      let index = 0;
      const stream = contestant.createStream((message) => {
        if (index < messages.length) {
          checkMessage(tally, index, contestant, sink, () => message, messages[index].expect);
        }
        index++;
      });
      try {
        for (const chunk of chunks) stream.push(chunk);
        stream.end();
      } catch (error) {
        noteFailure(tally, index, error);
      }
      if (index !== messages.length) {
        noteFailure(tally, index, new Error(`delivered ${index} of ${messages.length} messages`));
      }
      return tally;
    },
    pass() {
      received = 0;
      const stream = contestant.createStream(readMessage);
      try {
        for (let i = 0; i < chunks.length; i++) stream.push(chunks[i]);
        stream.end();
      } catch {
        failures++;
      }
      if (received !== messages.length) failures++;
      return byteLength;
    },
  };
}

function buildBench(contestant, corpus, workload) {
  const requests = corpus.filter((entry) => isBuildable(entry.expect));
  const prepared = [];
  const plans = [];
  const sources = [];
  const prepareTally = createTally();
  const malformed = [];
  for (let i = 0; i < requests.length; i++) {
    try {
      prepared.push(contestant.prepareRequest(requests[i].bytes));
      plans.push(buildPlan(workload, requests[i].expect.method, i));
      sources.push(requests[i].bytes);
      malformed.push(requests[i].expect.malformed);
    } catch (error) {
      noteFailure(prepareTally, i, error, requests[i].expect.malformed);
    }
  }
  const count = prepared.length;
  const build = contestant.buildResponse;
  const toTag = contestant.takesToTag === false ? undefined : BUILD_TO_TAG;
  let failures = 0;
  return {
    messages: count,
    failures: () => failures,
    check() {
      const tally = prepareTally;
      for (let i = 0; i < count; i++) {
        let output;
        try {
          output = build(prepared[i], plans[i], BUILD_TO_TAG);
        } catch (error) {
          noteFailure(tally, i, error, malformed[i]);
          continue;
        }
        compareResponse(
          tally,
          i,
          output,
          sources[i],
          plans[i].status,
          toTag,
          planContent(plans[i]),
        );
      }
      return tally;
    },
    pass() {
      let bytes = 0;
      for (let i = 0; i < count; i++) {
        try {
          bytes += build(prepared[i], plans[i], BUILD_TO_TAG).byteLength;
        } catch {
          failures++;
        }
      }
      return bytes;
    },
  };
}

// Last, so every module-level constant above is initialised before run() reads it.
const job = JSON.parse(process.argv[2] ?? '{}');
const result = await run(job).catch((error) => ({
  status: 'error',
  reason: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
}));
if (process.send) {
  process.send({ job, ...result }, () => process.exit(0));
} else {
  console.log(JSON.stringify({ job, ...result }, null, 2));
}
