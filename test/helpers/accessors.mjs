// The parsed message's typed accessors, named once for every test that walks them (the fuzz
// engine runs under plain Node, hence .mjs with a .d.mts beside it).

/** Accessors that parse a header's value (RFC 3261 §20 grammars), common to requests and responses. */
export const HEADER_ACCESSORS = [
  'via',
  'from',
  'to',
  'contact',
  'route',
  'recordRoute',
  'replyTo',
  'cseq',
  'callId',
  'maxForwards',
  'contentLength',
  'contentType',
  'expires',
  'require',
  'supported',
  'unsupported',
  'allow',
];

/** The cheap reads a transaction layer makes (top Via and its branch, the tags). */
export const QUICK_ACCESSORS = ['topVia', 'branch', 'toTag', 'fromTag'];
