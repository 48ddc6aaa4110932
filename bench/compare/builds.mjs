// Two (or more) builds of sipwire side by side in one process, on the bench's workloads:
// `build` and `build-bare` over the synthetic corpus (as bench/child.mjs does), and `parse`.
// Rounds alternate between the builds; medians and the ratio to the first are printed.
//
//   node bench/compare/builds.mjs /tmp/base/dist dist            (after npm run build in each)
//   node bench/compare/builds.mjs --workload build --rounds 15 A B

import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { BUILD_TO_TAG, buildPlan, isBuildable } from '../lib/build-plan.mjs';
import { loadCorpus } from '../lib/corpus.mjs';

const { values: args, positionals: dists } = parseArgs({
  allowPositionals: true,
  options: {
    workload: { type: 'string', default: 'build,build-bare,parse' },
    rounds: { type: 'string', default: '11' },
    corpus: { type: 'string', default: 'synthetic' },
  },
});
if (dists.length === 0) dists.push('dist');
const corpus = loadCorpus(args.corpus);
const requests = corpus.filter((entry) => isBuildable(entry.expect));

function optionsFor(plan, request) {
  const options = {};
  if (plan.headers.length > 0) options.headers = Object.fromEntries(plan.headers);
  if (plan.contact !== undefined) options.contact = plan.contact;
  if (plan.allow !== undefined) options.allow = plan.allow;
  if (plan.supported !== undefined) options.supported = plan.supported;
  if (plan.body !== undefined) {
    options.body = plan.body;
    options.contentType = plan.contentType;
  }
  if (request.toTag === undefined) options.toTag = BUILD_TO_TAG;
  return options;
}

const builds = [];
for (const dist of dists) {
  const root = resolve(dist);
  const message = await import(pathToFileURL(join(root, 'message', 'index.js')).href);
  const parse = await import(pathToFileURL(join(root, 'parse', 'index.js')).href);
  const jobs = {};
  for (const workload of ['build', 'build-bare']) {
    jobs[workload] = requests.map((entry, i) => {
      const request = parse.parseDatagram(entry.bytes);
      const plan = buildPlan(workload, entry.expect.method, i);
      return { request, status: plan.status, options: optionsFor(plan, request) };
    });
  }
  const messages = corpus.map((entry) => entry.bytes);
  const run = {
    build: () => timeBuilds(message, jobs.build),
    'build-bare': () => timeBuilds(message, jobs['build-bare']),
    parse: () => {
      const start = performance.now();
      let n = 0;
      while (performance.now() - start < 200) {
        for (const bytes of messages) {
          const m = parse.parseDatagram(bytes);
          if (m.callId === undefined || m.cseq.seq < 0 || m.branch === '' || m.toTag === '') n--;
          n++;
        }
      }
      return (n * 1000) / (performance.now() - start);
    },
  };
  builds.push({ dist, run, rates: {} });
}

function timeBuilds(message, jobs) {
  const start = performance.now();
  let n = 0;
  while (performance.now() - start < 200) {
    for (const job of jobs) {
      message.serialize(message.buildResponse(job.request, job.status, job.options).response);
    }
    n += jobs.length;
  }
  return (n * 1000) / (performance.now() - start);
}

const workloads = args.workload.split(',');
const rounds = Number(args.rounds);
for (let r = 0; r < rounds; r++) {
  for (const workload of workloads) {
    for (const build of r % 2 === 0 ? builds : [...builds].reverse()) {
      const rate = build.run[workload]();
      // the first round warms up
      if (r === 0) continue;
      build.rates[workload] ??= [];
      build.rates[workload].push(rate);
    }
  }
}
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
for (const workload of workloads) {
  const base = median(builds[0].rates[workload]);
  for (const build of builds) {
    const m = median(build.rates[workload]);
    console.log(
      `${workload.padEnd(10)} ${build.dist.padEnd(20)} ${Math.round(m / 1000)}k msg/s  ×${(m / base).toFixed(2)}`,
    );
  }
}
