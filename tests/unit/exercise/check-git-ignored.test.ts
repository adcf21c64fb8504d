import { describe, expect, it } from 'vitest';
import { gitIgnored, isGitIgnored } from '../../../src/lib/exercise/checks/git-ignored.ts';
import { FakeEngine } from './fake-engine.ts';
import { ctxFor, spec } from './helpers.ts';

const envIgnored = spec({ kind: 'git-ignored', path: '.env', ignored: true });
const exampleKept = spec({ kind: 'git-ignored', path: '.env.example', ignored: false });

describe('git-ignored', () => {
  it('passes when .gitignore covers .env and keeps .env.example', async () => {
    const e = new FakeEngine({ '.gitignore': 'node_modules\n.env*\n!.env.example\n', '.env.example': 'OPENAI_API_KEY=\n' });
    expect((await gitIgnored(envIgnored, ctxFor(e))).status).toBe('pass');
    expect((await gitIgnored(exampleKept, ctxFor(e))).status).toBe('pass');
  });
  it('fails without a .gitignore, and when it does not cover the path', async () => {
    const none = await gitIgnored(envIgnored, ctxFor(new FakeEngine({})));
    expect(none.status).toBe('fail');
    expect(none.message).toContain('no `.gitignore`');
    const other = await gitIgnored(envIgnored, ctxFor(new FakeEngine({ '.gitignore': 'dist\n' })));
    expect(other.status).toBe('fail');
    expect(other.message).toContain('does not cover `.env`');
  });
  it('fails when a file that must be committed does not exist (nothing to commit)', async () => {
    const r = await gitIgnored(exampleKept, ctxFor(new FakeEngine({ '.gitignore': '.env\n' })));
    expect(r.status).toBe('fail');
    expect(r.message).toContain('does not exist yet');
  });
  it('fails when a file that must be committed is ignored', async () => {
    expect((await gitIgnored(exampleKept, ctxFor(new FakeEngine({ '.gitignore': '.env*\n' })))).status).toBe('fail');
  });
  it('reads nested .gitignore files, deeper overriding shallower', async () => {
    const e = new FakeEngine({ '.gitignore': '*.log\n', 'server/.gitignore': '.env\n!keep.log\n' });
    expect(await isGitIgnored(e.fs, 'server/.env')).toBe(true);
    expect(await isGitIgnored(e.fs, '.env')).toBe(false);
    expect(await isGitIgnored(e.fs, 'server/keep.log')).toBe(false);
    expect(await isGitIgnored(e.fs, 'a.log')).toBe(true);
  });
  it('a file inside an ignored folder stays ignored', async () => {
    const e = new FakeEngine({ '.gitignore': 'secrets/\n!secrets/ok.txt\n' });
    expect(await isGitIgnored(e.fs, 'secrets/ok.txt')).toBe(true);
  });
});
