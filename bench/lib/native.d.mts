import type { Contestant } from '../contestants/index.mjs';

export function pkgVersion(pkg: string): string | undefined;
export function nativeContestant(options: {
  id: string;
  pkg: string;
  source: string;
  api: string;
}): Contestant;
