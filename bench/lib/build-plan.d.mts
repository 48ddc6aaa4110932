import type { Expect } from './corpus.mjs';

export const BUILD_PLAN: Readonly<Record<string, { status: number; reason: string }>>;
export const BUILD_TO_TAG: string;
export function isBuildable(expect: Expect): boolean;
