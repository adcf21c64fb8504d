// Check results, as DESIGN.md "Check results" describes them.
import type { EngineKind } from './engine.ts';

export type CheckStatus = 'pass' | 'fail' | 'skipped' | 'error';

export interface Evidence {
  file?: string;
  line?: number;
  column?: number;
  /** How the key was found: 'plain', 'base64', 'reversed', ... */
  form?: string;
  /** Masked excerpt: never the full key. */
  excerpt?: string;
  commit?: string;
  layer?: string;
}

export interface CheckResult {
  id: string;
  title: string;
  status: CheckStatus;
  /** What was found and where, in words a beginner understands. */
  message: string;
  hint?: string;
  /** Anchor of the chapter paragraph that explains why ("#why-env-files"). */
  explain?: string;
  required?: boolean;
  evidence?: Evidence[];
}

export interface CheckReport {
  passed: boolean;
  engine: EngineKind;
  checks: CheckResult[];
}
