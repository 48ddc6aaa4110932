import type { Expect } from './corpus.mjs';

export interface BuildPlan {
  status: number;
  reason: string;
  headers: readonly (readonly [string, string])[];
  contact?: string;
  allow?: readonly string[];
  supported?: readonly string[];
  body?: string;
  contentType?: string;
}

export function buildPlan(
  workload: 'build' | 'build-bare',
  method: string,
  n: number,
): BuildPlan | undefined;
export function planContent(plan: BuildPlan): { names: string[]; bodyByteLength: number };
export const BUILD_TO_TAG: string;
export function isBuildable(expect: Expect): boolean;
