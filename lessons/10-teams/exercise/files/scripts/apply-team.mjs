// Applies team.yaml to the OpenAI organization with the official SDK's Admin API, and prints
// every change it made. Run it as often as you like: what already matches is left alone, so a
// second run prints "No changes". Fields missing from team.yaml are not managed here.
//
//   OPENAI_ADMIN_KEY=sk-admin-… npm run apply
//
// (In this course the Check button runs it for you, with an Admin key of the mock platform.)
import { readFileSync } from 'node:fs';
import OpenAI from 'openai';
import { parse } from 'yaml';

const team = parse(readFileSync(new URL('../team.yaml', import.meta.url), 'utf8')) ?? {};
// The SDK reads OPENAI_ADMIN_KEY (and OPENAI_BASE_URL) from the environment.
const admin = new OpenAI().admin.organization;
const changes = [];
const changed = (line) => {
  changes.push(line);
  console.log(`changed: ${line}`);
};
// Never print a whole key: its prefix and last four characters are enough to recognise it.
const mask = (value) => `${value.slice(0, value.indexOf('-', 3) + 1)}…${value.slice(-4)}`;

async function all(page) {
  const items = [];
  for await (const item of page) items.push(item);
  return items;
}

// People: organization role, and a role in each project they work on.
const users = await all(admin.users.list());
for (const person of team.people ?? []) {
  const user = users.find((u) => u.email === person.email);
  if (!user) {
    await admin.invites.create({ email: person.email, role: person.role ?? 'reader' });
    changed(`invited ${person.email} as ${person.role ?? 'reader'}`);
    continue;
  }
  if (person.role && user.role !== person.role) {
    await admin.users.update(user.id, { role: person.role });
    changed(`${person.email}: organization role ${user.role} -> ${person.role}`);
  }
}
// Owners first, readers last: the organization always keeps an Owner while roles move.
for (const [projectId, members] of Object.entries(team.projects ?? {})) {
  const current = await all(admin.projects.users.list(projectId));
  for (const [email, role] of Object.entries(members ?? {})) {
    const user = users.find((u) => u.email === email);
    if (!user) continue; // invited: added once they accept
    const now = current.find((u) => u.id === user.id);
    if (!now) {
      await admin.projects.users.create(projectId, { user_id: user.id, role });
      changed(`${email}: added to ${projectId} as ${role}`);
    } else if (now.role !== role) {
      await admin.projects.users.update(user.id, { project_id: projectId, role });
      changed(`${email}: ${projectId} role ${now.role} -> ${role}`);
    }
  }
  for (const u of current) {
    if (!(u.email in (members ?? {}))) {
      await admin.projects.users.delete(u.id, { project_id: projectId });
      changed(`${u.email}: removed from ${projectId}`);
    }
  }
}

// One service account per deployed app. Its key is shown once: hand it to your host's secret
// settings (for example `gh secret set`), never to a file in this repository.
for (const app of team.service_accounts ?? []) {
  const existing = await all(admin.projects.serviceAccounts.list(app.project));
  if (existing.some((sa) => sa.name === app.name)) continue;
  const sa = await admin.projects.serviceAccounts.create(app.project, { name: app.name });
  changed(`service account ${app.name} created in ${app.project} (key ${sa.api_key ? mask(sa.api_key.value) : 'none'}: put it in the app's secret settings now, it is shown once)`);
}

// Keys to revoke (by id, as the dashboard shows them). A deleted key is gone: nothing to do twice.
for (const keyId of team.revoke_keys ?? []) {
  for (const project of await all(admin.projects.list())) {
    const keys = await all(admin.projects.apiKeys.list(project.id));
    if (keys.some((k) => k.id === keyId)) {
      await admin.projects.apiKeys.delete(keyId, { project_id: project.id });
      changed(`key ${keyId} revoked in ${project.id}`);
    }
  }
}

// Spend alerts: notify only, they never stop calls. Amounts in US dollars here, cents in the API.
for (const alert of team.spend_alerts ?? []) {
  const existing = await all(admin.projects.spendAlerts.list(alert.project));
  const cents = Math.round(alert.threshold_usd * 100);
  const wanted = [...(alert.recipients ?? [])].sort();
  const same = existing.find((a) => a.threshold_amount === cents);
  const sameRecipients = same && JSON.stringify([...same.notification_channel.recipients].sort()) === JSON.stringify(wanted);
  if (sameRecipients) continue;
  if (same) await admin.projects.spendAlerts.delete(same.id, { project_id: alert.project });
  await admin.projects.spendAlerts.create(alert.project, { threshold_amount: cents, currency: 'USD', interval: 'month', notification_channel: { type: 'email', recipients: wanted } });
  changed(`spend alert at $${alert.threshold_usd} in ${alert.project} -> ${wanted.join(', ')}`);
}

console.log(changes.length ? `${changes.length} change(s) applied.` : 'No changes: the organization already matches team.yaml.');
