// A variant done "in the dashboard": its variant.json lists `dashboard` steps, the same course-control
// calls the dashboard panel (src/components/platform/lp-platform-panel.ts) makes when a learner clicks
// through it. The harness starts the chapter's platform, replays the steps, and fills
// `{{DASHBOARD_KEY:name}}` in the variant's files with the values of the keys the steps created
// (as a learner pastes a new key into .env). The checks then run on that platform.
import { PlatformClient } from '../../src/platform/client.ts';
import type { FileMap } from '../../src/lib/fs/types.ts';

export type DashboardStep =
  | { createProject: string }
  | { updateProject: string; allowedModels?: string[] | null; spendLimitUsd?: number | null; spendAlerts?: Array<{ thresholdUsd: number; recipients?: string[] }> }
  | { createKey: string; project: string; kind?: 'project' | 'service_account'; scopes?: string[]; expiresInSeconds?: number }
  | { revokeKey: string };

export async function replayDashboard(connection: { url: string; controlToken: string }, steps: DashboardStep[], plantedKey: string): Promise<Record<string, string>> {
  const client = new PlatformClient(connection);
  const projectId = async (name: string) => {
    const p = (await client.state()).projects.find((x) => x.name === name || x.id === name);
    if (!p) throw new Error(`dashboard step: no project named "${name}"`);
    return p.id;
  };
  const keys: Record<string, string> = {};
  for (const step of steps) {
    if ('createProject' in step) await client.createProject(step.createProject);
    else if ('updateProject' in step) {
      const { updateProject, ...patch } = step;
      await client.updateProject(await projectId(updateProject), patch);
    } else if ('createKey' in step) {
      const created = await client.createKey({ name: step.createKey, projectId: await projectId(step.project), kind: step.kind, scopes: step.scopes, expiresInSeconds: step.expiresInSeconds });
      keys[step.createKey] = created.value;
    } else if ('revokeKey' in step) {
      const ref = step.revokeKey === '{{PLANTED_KEY}}' ? plantedKey : keys[step.revokeKey] ?? step.revokeKey;
      const key = await client.lookupKey(ref);
      if (!key) throw new Error(`dashboard step: no key "${step.revokeKey}" to revoke`);
      await client.revokeKey(key.id);
    } else throw new Error(`dashboard step not understood: ${JSON.stringify(step)}`);
  }
  return keys;
}

export function fillDashboardKeys(files: FileMap, keys: Record<string, string>): FileMap {
  const out: FileMap = {};
  for (const [path, text] of Object.entries(files)) {
    out[path] = text.replace(/\{\{DASHBOARD_KEY:([^}]+)\}\}/g, (_, name: string) => {
      if (!(name in keys)) throw new Error(`${path} uses {{DASHBOARD_KEY:${name}}}, but no dashboard step created a key named "${name}"`);
      return keys[name]!;
    });
  }
  return out;
}
