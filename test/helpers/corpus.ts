/**
 * Reading the shared corpora in place (never copied into the repo): file lists, bytes and the
 * TSV indexes that come with them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedPath } from './shared.js';

/** A corpus file: its name and exact bytes. */
export interface CorpusFile {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/**
 * The files of a corpus folder whose names end with `extension`, sorted by name, with their
 * bytes (as a plain Uint8Array, not a Buffer).
 * @param folder - path inside the shared folder, e.g. `corpus/rfc4475`
 * @param extension - e.g. `.dat`
 */
export function readCorpus(folder: string, extension: string): CorpusFile[] {
  const directory = sharedPath(folder.endsWith('/') ? folder : `${folder}/`);
  return readdirSync(directory)
    .filter((name) => name.endsWith(extension))
    .sort()
    .map((name) => ({ name, bytes: readCorpusBytes(join(directory, name)) }));
}

/** The exact bytes of one file, as a plain Uint8Array. */
export function readCorpusBytes(path: string): Uint8Array {
  const buffer = readFileSync(path);
  return new Uint8Array(buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.length));
}

/**
 * Rows of a TSV file with a header line, as objects keyed by column name.
 * @param relativePath - path inside the shared folder, e.g. `corpus/rfc4475/INDEX.tsv`
 */
export function readTsv(relativePath: string): Record<string, string>[] {
  const lines = readFileSync(sharedPath(relativePath), 'utf8')
    .split('\n')
    .filter((line) => line !== '');
  const columns = (lines[0] ?? '').split('\t');
  return lines.slice(1).map((line) => {
    const cells = line.split('\t');
    const row: Record<string, string> = {};
    columns.forEach((column, index) => {
      row[column] = cells[index] ?? '';
    });
    return row;
  });
}
