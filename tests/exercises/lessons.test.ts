// The gate on the real course: every chapter under LEAKPROOF_LESSONS_DIR (default lessons/) with an
// exercise/checks.ts. New chapters are picked up without touching this file.
import { lessonsDir } from '../../src/node/load-exercise.ts';
import { exerciseGate } from './harness.ts';

exerciseGate(lessonsDir());
