/** A seeded generator: the same seed gives the same sequence on every run and machine. */
export interface Random {
  nextUint32(): number;
  next(): number;
  int(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  token(length: number, alphabet?: string): string;
  weighted<T>(entries: readonly (readonly [T, number])[]): T;
}

export function createRandom(seed: number): Random;
