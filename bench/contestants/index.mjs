// The contestants in report order. Each module exports `contestant`, loaded only inside the
// child process that measures it, so one process never holds two SIP libraries.

export const CONTESTANTS = [
  { id: 'sipwire', role: 'subject', module: './sipwire.mjs' },
  { id: 'sip', role: 'peer', module: './sip.mjs' },
  { id: 'sip.js', role: 'peer', module: './sipjs.mjs' },
  { id: 'jssip', role: 'peer', module: './jssip.mjs' },
  { id: 'drachtio-srf', role: 'peer', module: './drachtio-srf.mjs' },
  { id: 'sofia-sip', role: 'peer', module: './sofia-sip.mjs' },
  { id: 'osip2', role: 'peer', module: './osip2.mjs' },
  { id: 'framing bound', role: 'bound', module: './framing-bound.mjs' },
  { id: 'lines bound', role: 'bound', module: './lines-bound.mjs' },
  // Another build of sipwire (SIPWIRE_BASELINE_DIST=…/dist), for before/after in one run
  ...(process.env.SIPWIRE_BASELINE_DIST === undefined
    ? []
    : [{ id: 'sipwire baseline', role: 'baseline', module: './sipwire.mjs' }]),
];

/** Imports one contestant's adapter by id. */
export async function loadContestant(id) {
  const entry = CONTESTANTS.find((candidate) => candidate.id === id);
  if (entry === undefined) throw new Error(`unknown contestant: ${id}`);
  if (entry.id === 'sipwire baseline') process.env.SIPWIRE_CONTESTANT = entry.id;
  const module = await import(entry.module);
  return module.contestant;
}
