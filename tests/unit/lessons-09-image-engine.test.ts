// Chapter 9's image check chooses how to build: a local Docker/Podman daemon that answers
// (`docker info` succeeds) builds for real and `docker save`s the image, which is audited; a client
// without a daemon, or no client, falls back to Leakproof's builder. Both say which they did. There is
// no Docker daemon in CI, so the daemon here is a fake engine answering the same commands (its
// "saved" image is the archive our builder makes from the same files).
import { describe, expect, it } from 'vitest';
import { FakeEngine } from './exercise/fake-engine.ts';
import { imageClean } from '../../lessons/09-docker/exercise/docker-checks.ts';
import { buildImage } from '../../src/lib/image-build/build-image.ts';
import { generatePlantedKey } from '../../src/lib/exercise/planted-key.ts';
import type { CheckContext } from '../../src/lib/exercise/define.ts';

const key = generatePlantedKey();
const leaky = { 'server.js': 'console.log(1)', '.env': `OPENAI_API_KEY=${key}\n`, Dockerfile: 'FROM node:22-slim\nWORKDIR /app\nCOPY . .\nCMD ["node","server.js"]\n' };
const clean = { ...leaky, '.dockerignore': '.env\n' };

function ctxFor(engine: FakeEngine): CheckContext {
  return { engine, key, files: {} };
}

function daemon(engine: FakeEngine, tool: 'docker' | 'podman') {
  engine.onRun = async (command, args, e, options) => {
    if (command !== tool) return { exitCode: 127, output: `spawn ${command} ENOENT` };
    if (args[0] === 'info') return { exitCode: 0, output: '28.2.2' };
    if (args[0] === 'build') return { exitCode: 0, output: 'naming to leakproof-exercise:check done' };
    if (args[0] === 'save') {
      const img = await buildImage({ fs: e.fs, dockerfile: 'Dockerfile' });
      await e.writeFile(args[args.indexOf('-o') + 1]!, img.archive);
      return { exitCode: 0, output: '' };
    }
    void options;
    return { exitCode: 1, output: 'unexpected' };
  };
}

describe('chapter 9 image check: which builder', () => {
  it('a running Docker daemon builds for real; the saved image is audited and removed after', async () => {
    const engine = new FakeEngine(leaky);
    daemon(engine, 'docker');
    const r = await imageClean(ctxFor(engine));
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/Built for real by docker/);
    expect(engine.commands.some((c) => c.startsWith('docker build -t leakproof-exercise:check -f Dockerfile'))).toBe(true);
    expect(engine.commands.some((c) => c.startsWith('docker save -o .leakproof-image.tar'))).toBe(true);
    expect(engine.files.has('.leakproof-image.tar')).toBe(false);
    expect(JSON.stringify(r)).not.toContain(key);
  });

  it('podman is used when docker is missing', async () => {
    const engine = new FakeEngine(clean);
    daemon(engine, 'podman');
    const r = await imageClean(ctxFor(engine));
    expect(r).toMatchObject({ status: 'pass' });
    expect(r.message).toMatch(/Built for real by podman/);
  });

  it('a Docker client without a daemon falls back to the Leakproof builder and says why', async () => {
    const engine = new FakeEngine(leaky);
    engine.onRun = (command) =>
      command === 'docker' ? { exitCode: 1, output: 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock.' } : { exitCode: 127, output: `spawn ${command} ENOENT` };
    const r = await imageClean(ctxFor(engine));
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/Built by Leakproof without a Docker engine \(docker is installed but its daemon is not running; podman is not installed\)/);
    expect(r.message).toMatch(/RUN steps are not executed|no RUN steps/);
    expect(engine.commands.some((c) => c.startsWith('docker build'))).toBe(false);
  });

  it('an engine without processes (in the browser) uses the Leakproof builder', async () => {
    const engine = new FakeEngine(clean, { processes: false, servers: false });
    const r = await imageClean(ctxFor(engine));
    expect(r.status).toBe('pass');
    expect(r.message).toMatch(/this engine cannot run commands/);
  });
});
