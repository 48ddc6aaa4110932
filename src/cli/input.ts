import { readFile } from 'node:fs/promises';
import { UsageError } from './usage-error.js';

/** Reads FILE, or standard input for `-` or no FILE. */
export async function readInput(positionals: readonly string[]): Promise<Uint8Array> {
  if (positionals.length > 1) throw new UsageError('takes at most one FILE');
  const file = positionals[0];
  if (file === undefined || file === '-') {
    const chunks: Uint8Array[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Uint8Array);
    return new Uint8Array(Buffer.concat(chunks));
  }
  try {
    return new Uint8Array(await readFile(file));
  } catch (error) {
    throw new UsageError(
      `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
}

/** Parses repeated `--header 'Name: value'` flags into field pairs. */
export function parseHeaderFlags(flags: readonly string[]): { name: string; value: string }[] {
  return flags.map((flag) => {
    const colon = flag.indexOf(':');
    if (colon <= 0) throw new UsageError(`--header must look like 'Name: value', got "${flag}"`);
    return { name: flag.slice(0, colon).trim(), value: flag.slice(colon + 1).trim() };
  });
}
