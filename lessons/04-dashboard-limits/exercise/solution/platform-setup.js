// Splits the one shared key into a project per app, with the Admin API (`npm run platform:setup`).
// It needs an admin key in OPENAI_ADMIN_KEY (never in a file); the SDK reads it from the environment.
// Safe to run again: it finds projects and service accounts by name before it creates them.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import OpenAI from 'openai';

const ALERT_EMAILS = ['team@example.com'];
const APPS = [
  // The public chatbot: only the cheap model, a small budget.
  { dir: 'chatbot', project: 'Chatbot', models: ['gpt-4o-mini'], limitUsd: 20, alertUsd: 10 },
  // The nightly report: runs unattended, so its key belongs to a service account.
  { dir: 'report', project: 'Nightly report', models: ['gpt-4o'], limitUsd: 50, alertUsd: 25 },
];

const admin = new OpenAI().admin.organization;
const cents = (usd) => Math.round(usd * 100);

async function findOrCreateProject(name) {
  for await (const project of admin.projects.list()) if (project.name === name) return project;
  return admin.projects.create({ name });
}

async function findOrCreateServiceAccount(projectId, name) {
  for await (const sa of admin.projects.serviceAccounts.list(projectId)) if (sa.name === name) return sa;
  return admin.projects.serviceAccounts.create(projectId, { name, create_service_account_only: true });
}

/** The id and project of the key that has this value (the Admin API shows each key's last characters). */
async function findKey(value) {
  for await (const project of admin.projects.list()) {
    for await (const key of admin.projects.apiKeys.list(project.id)) {
      if (key.redacted_value.endsWith(value.slice(-4))) return { id: key.id, projectId: project.id };
    }
  }
  return null;
}

const oldKeys = new Set(APPS.map((app) => parseEnv(readFileSync(`${app.dir}/.env`, 'utf8')).OPENAI_API_KEY).filter(Boolean));

for (const app of APPS) {
  const project = await findOrCreateProject(app.project);
  await admin.projects.modelPermissions.update(project.id, { mode: 'allow_list', model_ids: app.models });
  await admin.projects.spendLimit.update(project.id, { currency: 'USD', interval: 'month', threshold_amount: cents(app.limitUsd) });
  const alerts = await admin.projects.spendAlerts.list(project.id);
  if (alerts.data.length === 0) {
    await admin.projects.spendAlerts.create(project.id, {
      currency: 'USD',
      interval: 'month',
      threshold_amount: cents(app.alertUsd),
      notification_channel: { type: 'email', recipients: ALERT_EMAILS },
    });
  }
  const account = await findOrCreateServiceAccount(project.id, `${app.dir} app`);
  // Restricted: the apps only call models.
  const key = await admin.projects.serviceAccounts.apiKeys.create(account.id, { project_id: project.id, name: `${app.dir} key`, scopes: ['model.request'] });
  // Write the app's .env atomically (a temporary file renamed over the old one).
  writeFileSync(`${app.dir}/.env.tmp`, `OPENAI_API_KEY=${key.value}\n`);
  renameSync(`${app.dir}/.env.tmp`, `${app.dir}/.env`);
  console.log(`${app.project} (${project.id}): models ${app.models.join(', ')}, limit $${app.limitUsd}, alert $${app.alertUsd}; new key ${key.id} in ${app.dir}/.env`);
}

// The keys the apps used before, the shared all-powerful one among them, go now.
for (const value of oldKeys) {
  const old = await findKey(value);
  if (!old) continue; // already revoked
  await admin.projects.apiKeys.delete(old.id, { project_id: old.projectId });
  console.log(`Revoked the old key ${old.id}.`);
}
