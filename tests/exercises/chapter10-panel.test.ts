// Chapter 10's correct alternative that no file can express: the roles set in the dashboard panel
// (the same course controls the panel calls) instead of by team.yaml. team.yaml then leaves people
// out (the script manages only what the file lists), and every check must pass; with the panel left
// alone, the role checks must fail. Real platform, real `npm run apply`, official SDK in the checks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePlantedKey } from '../../src/lib/exercise/planted-key.ts';
import { plantKey } from '../../src/lib/exercise/plant.ts';
import { NodeEngine } from '../../src/engines/local/node-engine.ts';
import { runLocalChecks } from '../../src/engines/local/run-local.ts';
import { startExercisePlatform } from '../../src/engines/local/platform.ts';
import { PlatformClient } from '../../src/platform/client.ts';
import { loadExercise, type LoadedExercise } from '../../src/node/load-exercise.ts';

let ex: LoadedExercise;
let engine: NodeEngine;
beforeAll(async () => {
  ex = await loadExercise('10-teams');
  engine = await NodeEngine.create();
});
afterAll(async () => engine?.dispose());

/** The solution's team.yaml without `people:` and `projects:` (roles are the panel's job here). */
function withoutRoles(files: Record<string, string>): Record<string, string> {
  const team = files['team.yaml']!;
  const start = team.indexOf('# Two Owners');
  const end = team.indexOf('# One per deployed app');
  expect(start).toBeGreaterThan(0);
  expect(end).toBeGreaterThan(start);
  return { ...files, 'team.yaml': team.slice(0, start) + team.slice(end) };
}

async function check(setRolesInPanel: boolean) {
  const key = generatePlantedKey();
  const platform = await startExercisePlatform(ex.def, key);
  try {
    if (setRolesInPanel) {
      const panel = new PlatformClient({ url: platform.url, controlToken: platform.controlToken! });
      for (const email of ['cy@example.com', 'dee@example.com', 'eli@example.com']) {
        await panel.setOrgRole(email, 'reader');
        await panel.setProjectRole('proj_dev', email, 'member');
        await panel.setProjectRole('proj_prod', email, null);
      }
    }
    const files = plantKey(withoutRoles(ex.solution), key);
    return await runLocalChecks({ def: ex.def, engine, key, files, platform });
  } finally {
    await platform.close();
  }
}

describe('10-teams: roles applied in the panel', () => {
  it('passes every check when the panel set the roles and team.yaml does the rest', async () => {
    const r = await check(true);
    const report = r.checks.map((c) => `  [${c.status}] ${c.id}: ${c.message.split('\n')[0]}`).join('\n');
    expect(r.passed, report).toBe(true);
  }, 240_000);

  it('fails the role checks when nobody set the roles (team.yaml no longer does)', async () => {
    const r = await check(false);
    const status = Object.fromEntries(r.checks.map((c) => [c.id, c.status]));
    expect(status['owners-and-readers']).toBe('fail');
    expect(status['reader-refused']).toBe('fail');
    expect(status['apply-idempotent']).toBe('pass');
  }, 240_000);
});
