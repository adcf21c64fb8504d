// Chapter 5: nothing stops a commit with a key. Done when a pre-commit hook (installed by
// `npm run prepare`, through husky or core.hooksPath) refuses real `git commit`s holding the planted
// key or a key of the real shape and lets a clean one through, and a GitHub Actions workflow scans
// every push and pull request (its steps run in a clone: clean passes, a committed key fails).
import { defineExercise } from '../../../src/lib/exercise/define.ts';
import { guardBlocksKeys } from '../../08-leak-response/exercise/commit-guard.ts';
import { workflowScans } from './workflow.ts';

export default defineExercise({
  chapter: '05-detection-tools',
  // Real commits through the learner's hook (a scanner run each) and the CI steps in two clones:
  // held to the 15 s target of chapters that run servers and traffic, not the 5 s of file checks.
  targetCheckSeconds: 15,
  checks: [
    {
      id: 'commit-guard',
      kind: 'custom',
      needsRuntime: true,
      title: 'A pre-commit hook refuses a commit holding a key, and lets a clean one through',
      hint: 'Add .secretlintrc.json with the recommended preset and a pattern rule for sk-proj-, sk-svcacct- and sk-admin- keys; .husky/pre-commit that runs secretlint on the staged files; and "prepare": "husky" in package.json.',
      explain: '#block-the-commit-with-a-pre-commit-hook',
      timeoutMs: 240_000,
      run: guardBlocksKeys,
    },
    {
      id: 'ci-scans',
      kind: 'custom',
      needsRuntime: true,
      title: 'A GitHub Actions workflow scans every push and pull request',
      hint: 'Add .github/workflows/secret-scan.yml with `on: [push, pull_request]` and a job whose steps check out the code, run `npm ci` and then `npx secretlint "**/*"`.',
      explain: '#scan-every-push-and-pull-request-in-ci',
      timeoutMs: 240_000,
      run: workflowScans,
    },
    {
      id: 'key-not-committed',
      kind: 'no-key-in',
      target: 'source',
      title: 'No file git would commit holds the key',
      hint: 'Keep the key only in .env (git ignores it): not in .secretlintrc.json, not in a test file, not in the workflow. Hiding a key is not removing it: base64, hex or a split key still counts.',
      explain: '#write-a-rule-for-your-own-keys',
    },
  ],
});
