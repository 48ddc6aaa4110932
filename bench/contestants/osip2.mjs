// GNU oSIP (C, libosipparser2): osip_message_parse() on each message, then its getters, through
// bench/native/osip2.c (built at run time; see lib/native.mjs).

import { nativeContestant } from '../lib/native.mjs';

export const contestant = nativeContestant({
  id: 'osip2',
  pkg: 'libosip2',
  source: 'osip2.c',
  api: 'osip_message_parse(message, bytes, length) + osip_message_get_* (C, cc -O2)',
});
