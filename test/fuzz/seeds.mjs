// The messages mutants start from: every file of the shared corpora (RFC 4475, RFC 5118 in its
// archive and wire forms, and the real-world captures), read in place and never copied.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Corpus folders (inside the shared folder) and the file extension of their messages. */
export const SEED_FOLDERS = [
  ['corpus/rfc4475', '.dat'],
  ['corpus/rfc5118', '.dat'],
  ['corpus/rfc5118/wire', '.sip'],
  ['corpus/real', '.sip'],
];

/**
 * Reads every corpus message, sorted by folder then name, as plain Uint8Arrays.
 * @param sharedDir absolute path of the shared folder
 * @returns the seeds, or an empty list when the folder is missing
 */
export function loadSeeds(sharedDir) {
  const seeds = [];
  for (const [folder, extension] of SEED_FOLDERS) {
    const directory = join(sharedDir, folder);
    if (!existsSync(directory)) continue;
    for (const name of readdirSync(directory).sort()) {
      if (!name.endsWith(extension)) continue;
      const buffer = readFileSync(join(directory, name));
      seeds.push({
        name: `${folder}/${name}`,
        bytes: new Uint8Array(
          buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.length),
        ),
      });
    }
  }
  return seeds;
}
