// Pre-commit: refuse staged files that hold an OpenAI key (project, service account or admin).
import { execFileSync } from 'node:child_process';

const pattern = /sk-(proj|svcacct|admin)-[A-Za-z0-9_-]{20,}/;
const staged = execFileSync('git', ['diff', '--cached', '--name-only', '--diff-filter=ACM'], { encoding: 'utf8' }).split('\n').filter(Boolean);
const bad = staged.filter((file) => pattern.test(execFileSync('git', ['show', `:${file}`], { encoding: 'utf8' })));
for (const file of bad) console.error(`scan-staged: ${file} holds an OpenAI key; keep keys in .env.`);
process.exit(bad.length ? 1 : 0);
