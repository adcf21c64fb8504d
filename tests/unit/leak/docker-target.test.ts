import { describe, it, expect } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { auditDocker, isDockerfileName, isComposeName } from '../../../src/lib/leak/targets/docker.ts';
import { parseDockerfile, parseCopyArgs } from '../../../src/lib/leak/targets/dockerfile.ts';
import { nodeFs, fakeKey, tempDir, plainDetector } from './helpers-h3b.ts';

const KEY = fakeKey();

function project(files: Record<string, string>): string {
  const d = tempDir('docker');
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(dirname(join(d, p)), { recursive: true });
    writeFileSync(join(d, p), c.replaceAll('$KEY', KEY));
  }
  return d;
}
const audit = (d: string) => auditDocker({ key: KEY, fs: nodeFs(d), detect: plainDetector });
const files = async (d: string) => (await audit(d)).map((f) => f.file).sort();

const APP = { 'package.json': '{}', 'server.js': 'process.env.OPENAI_API_KEY' };

// [name, files, expected finding files (sorted); [] = must pass]
const cases: Array<[string, Record<string, string>, string[]]> = [
  ['ENV with a literal key', { ...APP, Dockerfile: 'FROM node:22\nENV OPENAI_API_KEY=$KEY\nCMD ["node","server.js"]\n' }, ['Dockerfile']],
  ['ARG default', { Dockerfile: 'FROM node:22\nARG OPENAI_API_KEY=$KEY\n' }, ['Dockerfile']],
  ['LABEL', { Dockerfile: 'FROM node:22\nLABEL key="$KEY"\n' }, ['Dockerfile']],
  ['RUN line (continuation)', { Dockerfile: 'FROM node:22\nRUN echo hi && \\\n  curl -H "Authorization: Bearer $KEY" x\n' }, ['Dockerfile']],
  ['named Dockerfile variants', { 'api.Dockerfile': 'FROM x\nENV K=$KEY\n', 'docker/Dockerfile.prod': 'FROM x\nENV K=$KEY\n' }, ['api.Dockerfile', 'docker/Dockerfile.prod']],
  ['ENV from a build arg, no literal: pass', { ...APP, Dockerfile: 'FROM node:22\nARG OPENAI_API_KEY\nRUN --mount=type=secret,id=openai,env=OPENAI_API_KEY npm test\n', '.dockerignore': '.env\n', '.env': 'OPENAI_API_KEY=$KEY\n' }, []],
  ['COPY . . without .dockerignore copies .env', { ...APP, '.env': 'OPENAI_API_KEY=$KEY\n', Dockerfile: 'FROM node:22\nWORKDIR /app\nCOPY . .\n' }, ['.env']],
  ['COPY . . with .env in .dockerignore: pass', { ...APP, '.env': 'OPENAI_API_KEY=$KEY\n', '.dockerignore': '.env\nnode_modules\n', Dockerfile: 'FROM node:22\nWORKDIR /app\nCOPY . .\n' }, []],
  ['.dockerignore ".env" does not cover a nested .env', { 'app/.env': 'K=$KEY', '.dockerignore': '.env\n', Dockerfile: 'FROM x\nCOPY . /srv\n' }, ['app/.env']],
  ['a later ! exception brings .env back', { '.env': 'K=$KEY', '.dockerignore': '.env\n!.env\n', Dockerfile: 'FROM x\nCOPY . .\n' }, ['.env']],
  ['.env in the context but not copied: pass', { ...APP, '.env': 'K=$KEY', Dockerfile: 'FROM node:22\nCOPY package.json server.js ./\n' }, []],
  ['COPY of a folder that holds the key', { 'config/keys.json': '{"k":"$KEY"}', Dockerfile: 'FROM x\nCOPY config /etc/app/\n' }, ['config/keys.json']],
  ['COPY with a wildcard', { 'settings.env': 'K=$KEY', Dockerfile: 'FROM x\nCOPY *.env /app/\n' }, ['settings.env']],
  ['COPY --exclude keeps the file out', { '.env': 'K=$KEY', 'a.js': '1', Dockerfile: 'FROM x\nCOPY --exclude=.env . /app\n' }, []],
  ['multi-stage: .env only in the build stage: pass', { ...APP, '.env': 'K=$KEY', Dockerfile: 'FROM node:22 AS build\nWORKDIR /src\nCOPY . .\nRUN npm run build\n\nFROM node:22-slim\nWORKDIR /app\nCOPY --from=build /src/server.js ./\n' }, []],
  ['multi-stage: COPY --from copies the whole build folder, .env included', { ...APP, '.env': 'K=$KEY', Dockerfile: 'FROM node:22 AS build\nWORKDIR /src\nCOPY . .\nFROM node:22-slim\nCOPY --from=build /src /app\n' }, ['.env']],
  ['multi-stage: a stage built FROM another stage inherits its files', { '.env': 'K=$KEY', Dockerfile: 'FROM node:22 AS base\nCOPY .env /app/.env\nFROM base\nRUN true\n' }, ['.env']],
  ['<Dockerfile>.dockerignore wins over .dockerignore', { '.env': 'K=$KEY', '.dockerignore': '', 'Dockerfile': 'FROM x\nCOPY . .\n', 'Dockerfile.dockerignore': '.env\n' }, []],
  ['heredoc writing the key into the image', { Dockerfile: 'FROM x\nCOPY <<EOF /app/.env\nOPENAI_API_KEY=$KEY\nEOF\n' }, ['Dockerfile']],
  ['compose environment (map form)', { 'compose.yaml': 'services:\n  web:\n    image: x\n    environment:\n      OPENAI_API_KEY: $KEY\n' }, ['compose.yaml']],
  ['compose environment (list form)', { 'docker-compose.yml': 'services:\n  web:\n    image: x\n    environment:\n      - OPENAI_API_KEY=$KEY\n' }, ['docker-compose.yml']],
  ['compose build.args', { 'compose.yml': 'services:\n  web:\n    build:\n      context: .\n      args:\n        OPENAI_API_KEY: $KEY\n' }, ['compose.yml']],
  ['compose with variable substitution and env_file (git-ignored): pass', { '.gitignore': '.env\n', '.env': 'OPENAI_API_KEY=$KEY\n', 'compose.yaml': 'services:\n  web:\n    image: x\n    env_file: .env\n    environment:\n      OPENAI_API_KEY: ${OPENAI_API_KEY}\n' }, []],
  ['compose env_file that git would commit', { '.env': 'OPENAI_API_KEY=$KEY\n', 'compose.yaml': 'services:\n  web:\n    image: x\n    env_file:\n      - .env\n' }, ['.env']],
  ['compose secrets file that git would commit', { 'openai.txt': '$KEY', 'compose.yaml': 'services:\n  web:\n    image: x\n    secrets: [openai]\nsecrets:\n  openai:\n    file: ./openai.txt\n' }, ['openai.txt']],
  ['compose secrets file, git-ignored: pass', { '.gitignore': 'secrets/\n', 'secrets/openai.txt': '$KEY', 'compose.yaml': 'services:\n  web:\n    image: x\nsecrets:\n  openai:\n    file: ./secrets/openai.txt\n' }, []],
  ['compose build context in a subfolder', { 'app/.env': 'K=$KEY', 'app/Dockerfile': 'FROM x\nCOPY . .\n', 'compose.yaml': 'services:\n  web:\n    build: ./app\n' }, ['app/.env']],
  ['compose build with a dockerfile path and target stage', { '.env': 'K=$KEY', 'docker/app.Dockerfile': 'FROM x AS dev\nCOPY . .\nFROM x AS prod\nRUN true\n', 'compose.yaml': 'services:\n  web:\n    build:\n      context: .\n      dockerfile: docker/app.Dockerfile\n      target: dev\n' }, ['.env']],
  ['a key in node_modules copied by COPY . .', { 'node_modules/x/k.js': '"$KEY"', Dockerfile: 'FROM x\nCOPY . .\n' }, ['node_modules/x/k.js']],
  ['a compose build context outside the folder is skipped, not an error', { 'compose.yaml': 'services:\n  web:\n    build: ../elsewhere\n' }, []],
  ['a key split over continuation lines', { Dockerfile: `FROM x\nENV OPENAI_API_KEY=${KEY.slice(0, 70)}\\\n${KEY.slice(70)}\n` }, ['Dockerfile']],
  ['the .env Compose reads for ${VARS}, committed', { '.env': 'OPENAI_API_KEY=$KEY\n', 'compose.yaml': 'services:\n  web:\n    environment:\n      OPENAI_API_KEY: ${OPENAI_API_KEY}\n' }, ['.env']],
  ['the .env Compose reads for ${VARS}, git-ignored: pass', { '.gitignore': '.env\n', '.env': 'OPENAI_API_KEY=$KEY\n', 'compose.yaml': 'services:\n  web:\n    environment:\n      OPENAI_API_KEY: ${OPENAI_API_KEY}\n' }, []],
  ['no Docker files at all: pass', { 'src/a.js': '$KEY' }, []],
  // ${VAR} in COPY sources: Docker substitutes ARG and ENV values before it matches the path.
  ['COPY ${ARG} names .env', { '.env': 'K=$KEY', Dockerfile: 'FROM x\nARG CONFIG=.env\nCOPY ${CONFIG} /app/\n' }, ['.env']],
  ['COPY $ENV (no braces) names .env', { '.env': 'K=$KEY', Dockerfile: 'FROM x\nENV CONFIG_FILE=.env\nCOPY $CONFIG_FILE ./\n' }, ['.env']],
  ['COPY ${ARG:-default} falls back to .env', { '.env': 'K=$KEY', Dockerfile: 'FROM x\nARG CONFIG\nCOPY ${CONFIG:-.env} ./\n' }, ['.env']],
  ['COPY ${ARG} from a compose build arg', { '.env': 'K=$KEY', Dockerfile: 'FROM x\nARG CONFIG\nCOPY ${CONFIG} ./\n', 'compose.yaml': 'services:\n  web:\n    build:\n      context: .\n      args:\n        CONFIG: .env\n' }, ['.env']],
  ['COPY ${ARG} naming a harmless file: pass', { '.env': 'K=$KEY', 'app.js': '1', Dockerfile: 'FROM x\nARG MAIN=app.js\nCOPY ${MAIN} ./\n' }, []],
  // Keys that reach the final image through a build step (RUN is modelled, not run).
  ['build arg from compose (${VAR} out of .env) read by RUN npm run build, output copied', {
    '.gitignore': '.env\n', '.dockerignore': '.env\n', '.env': 'OPENAI_API_KEY=$KEY\n',
    Dockerfile: 'FROM node:22 AS build\nWORKDIR /app\nCOPY package.json ./\nARG OPENAI_API_KEY\nRUN npm run build\nFROM node:22-slim\nCOPY --from=build /app/dist ./dist\n',
    'compose.yaml': 'services:\n  web:\n    build:\n      context: .\n      args:\n        OPENAI_API_KEY: ${OPENAI_API_KEY}\n' }, ['Dockerfile']],
  ['.env copied into the build stage, RUN builds, dist copied', { '.env': 'K=$KEY', 'src/a.js': '1', Dockerfile: 'FROM node:22 AS build\nWORKDIR /src\nCOPY . .\nRUN npm run build\nFROM node:22-slim\nCOPY --from=build /src/dist /app/dist\n' }, ['Dockerfile']],
  ['RUN --mount=type=bind of the context with .env, dist copied', { '.env': 'K=$KEY', Dockerfile: 'FROM node:22 AS build\nRUN --mount=type=bind,target=/src npm run build\nFROM node:22-slim\nCOPY --from=build /out /app\n' }, ['Dockerfile']],
  ['a stage FROM a tainted stage', { '.env': 'K=$KEY', Dockerfile: 'FROM node:22 AS build\nRUN --mount=type=bind,target=/src npm run build\nFROM build AS final\nCMD ["node","x"]\n' }, ['Dockerfile']],
  ['a file in the image is reported once, not again as a build-step input', { '.env': 'K=$KEY', Dockerfile: 'FROM node:22 AS build\nCOPY .env /tmp/.env\nRUN npm run build && rm /tmp/.env\nFROM build AS final\n' }, ['.env']],
  ['build arg read by RUN in the final stage (docker history keeps it)', { '.gitignore': '.env\n', '.env': 'OPENAI_API_KEY=$KEY\n', Dockerfile: 'FROM node:22\nARG OPENAI_API_KEY\nRUN npm run build\n', 'compose.yaml': 'services:\n  web:\n    build:\n      context: .\n      args:\n        - OPENAI_API_KEY=${OPENAI_API_KEY}\n' }, ['Dockerfile']],
  ['secret mount for the build step, .env ignored, dist copied: pass', {
    '.gitignore': '.env\n', '.dockerignore': '.env\n', '.env': 'OPENAI_API_KEY=$KEY\n',
    Dockerfile: 'FROM node:22 AS build\nWORKDIR /app\nCOPY . .\nRUN --mount=type=secret,id=openai,env=OPENAI_API_KEY npm run build\nFROM node:22-slim\nCOPY --from=build /app/dist ./dist\n',
    'compose.yaml': 'services:\n  web:\n    build:\n      context: .\n      secrets: [openai]\nsecrets:\n  openai:\n    environment: OPENAI_API_KEY\n' }, []],
  ['a harmless build arg read by RUN: pass', { '.gitignore': '.env\n', '.env': 'OPENAI_API_KEY=$KEY\n', Dockerfile: 'FROM node:22 AS build\nARG NODE_ENV\nRUN npm run build\nFROM x\nCOPY --from=build /dist /dist\n', 'compose.yaml': 'services:\n  web:\n    build:\n      context: .\n      args:\n        NODE_ENV: production\n' }, []],
];

describe('docker target', () => {
  for (const [name, fs, expected] of cases) {
    it(name, async () => {
      expect(await files(project(fs))).toEqual(expected);
    });
  }

  it('says which line and instruction', async () => {
    const f = await audit(project({ Dockerfile: 'FROM node:22\n# the key\nENV OPENAI_API_KEY=$KEY\n' }));
    expect(f[0].line).toBe(3);
    expect(f[0].message).toMatch(/ENV instruction \(line 3\)/);
    expect(f[0].message).toMatch(/secret/);
  });

  it('says a build step carries the key, and that RUN is not executed', async () => {
    const f = await audit(project({ '.env': 'K=$KEY', Dockerfile: 'FROM node:22 AS build\nWORKDIR /src\nCOPY . .\nRUN npm run build\nFROM node:22-slim\nCOPY --from=build /src/dist /app/dist\n' }));
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ file: 'Dockerfile', line: 6, form: 'build-step' });
    expect(f[0].message).toMatch(/through a build step/);
    expect(f[0].message).toMatch(/RUN on line 4/);
    expect(f[0].message).toMatch(/\.env/);
    expect(f[0].message).toMatch(/does not run RUN steps/);
    expect(f[0].message).toMatch(/--mount=type=secret/);
    expect(JSON.stringify(f)).not.toContain(KEY);
  });

  it('names the COPY line that would copy a file', async () => {
    const f = await audit(project({ '.env': 'K=$KEY', Dockerfile: 'FROM x\nWORKDIR /app\nCOPY . .\n' }));
    expect(f[0].message).toMatch(/COPY on line 3 of Dockerfile would copy \.env/);
    expect(f[0].message).toMatch(/\/app\/\.env/);
    expect(f[0].message).toMatch(/\.dockerignore/);
  });

  it('names the compose key path', async () => {
    const f = await audit(project({ 'compose.yaml': 'services:\n  web:\n    environment:\n      OPENAI_API_KEY: $KEY\n' }));
    expect(f[0].message).toMatch(/services\.web\.environment\.OPENAI_API_KEY/);
  });
});

describe('Dockerfile parsing', () => {
  it('joins continuation lines, drops comments inside them, honours # escape', () => {
    const ins = parseDockerfile('# escape=`\nFROM x\nRUN a `\n# note\n  b\nENV A=1\n');
    expect(ins.map((i) => [i.keyword, i.args, i.line, i.endLine])).toEqual([
      ['FROM', 'x', 2, 2],
      ['RUN', 'a   b', 3, 5],
      ['ENV', 'A=1', 6, 6],
    ]);
  });

  it('reads heredocs (<<EOF, <<-"EOF") and continues after them', () => {
    const ins = parseDockerfile('FROM x\nRUN <<EOF\necho 1\nEOF\nCOPY <<-"END" /a\n\thello\n\tEND\nENV B=2\n');
    expect(ins[1].heredocs[0]).toMatchObject({ name: 'EOF', body: 'echo 1\n', line: 3 });
    expect(ins[2].heredocs[0]).toMatchObject({ name: 'END', body: 'hello\n' });
    expect(ins[3]).toMatchObject({ keyword: 'ENV', line: 8 });
  });

  it('parses COPY flags, JSON form and --exclude', () => {
    expect(parseCopyArgs('--from=build --chown=1:1 --exclude=*.md src/ /app/')).toEqual({ flags: { from: 'build', chown: '1:1' }, excludes: ['*.md'], sources: ['src/'], dest: '/app/', heredocSources: 0 });
    expect(parseCopyArgs('["a b", "c"]')).toMatchObject({ sources: ['a b'], dest: 'c' });
  });

  it('recognises Dockerfile and compose names', () => {
    for (const n of ['Dockerfile', 'Dockerfile.dev', 'api.Dockerfile', 'Containerfile']) expect(isDockerfileName(n), n).toBe(true);
    for (const n of ['Dockerfile.dockerignore', 'dockerfile-ast.js', 'README.md']) expect(isDockerfileName(n), n).toBe(false);
    for (const n of ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.override.yaml', 'compose.prod.yaml']) expect(isComposeName(n), n).toBe(true);
    for (const n of ['composer.json', 'compose.json', 'my-compose.yml']) expect(isComposeName(n), n).toBe(false);
  });
});
