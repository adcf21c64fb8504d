// The gate on the engine's own fixture exercise (every check kind) and on the site's fixture course,
// so the harness is proven before and apart from the real chapters.
import { exerciseGate } from './harness.ts';

exerciseGate('tests/fixtures/exercises');
exerciseGate('tests/fixtures/course');
