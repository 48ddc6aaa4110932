import type { Seed } from './engine.mjs';

/** Corpus folders (inside the shared folder) and the file extension of their messages. */
export const SEED_FOLDERS: readonly (readonly [string, string])[];

/** Every corpus message, sorted by folder then name; empty when the folder is missing. */
export function loadSeeds(sharedDir: string): Seed[];
