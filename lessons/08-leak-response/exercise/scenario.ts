// The leak scenario on the mock platform: the weekend app's key, in use since the start of the
// month, committed to a public repository, then used by strangers overnight from two addresses on
// an expensive model. On a fixed date, so the figures in INCIDENT.md are the same on every run.
import { generateKey } from '../../../src/platform/keys.ts';

export const PROJECT_ID = 'proj_weekend';
export const LEAKED_KEY_ID = 'key_weekend_app';
export const ADMIN_KEY_ID = 'key_admin_incident';
/** Lives only in this process: the check hands it to respond.mjs as OPENAI_ADMIN_KEY. */
export const ADMIN_KEY = generateKey('admin');
export const SCENARIO_NOW = '2026-11-14T09:30:00Z';

export const platformSeed = {
  now: SCENARIO_NOW,
  projects: [{ id: PROJECT_ID, name: 'Weekend app' }],
  keys: [
    { value: '{{PLANTED_KEY}}', id: LEAKED_KEY_ID, projectId: PROJECT_ID, kind: 'project', name: 'weekend app', ageSeconds: 13 * 86400 },
    { value: ADMIN_KEY, id: ADMIN_KEY_ID, kind: 'admin', name: 'Incident admin key' },
  ],
  traffic: [
    // The app's own calls: small, cheap, from the server itself.
    { key: '{{PLANTED_KEY}}', model: 'gpt-4o-mini', requests: 24, source: '127.0.0.1', startAt: '2026-11-13T10:00:00Z', everySeconds: 1800, promptTokens: 200, maxTokens: 150 },
    // Strangers, overnight, on an expensive model with long prompts.
    { key: '{{PLANTED_KEY}}', model: 'gpt-4o', requests: 90, source: '203.0.113.77', startAt: '2026-11-14T02:13:00Z', everySeconds: 40, promptTokens: 12000, maxTokens: 4000 },
    { key: '{{PLANTED_KEY}}', model: 'gpt-4o', requests: 60, source: '198.51.100.23', startAt: '2026-11-14T03:05:20Z', everySeconds: 40, promptTokens: 12000, maxTokens: 4000 },
  ],
};
