// The `leakproof` command line. Each command lives in src/cli/commands/<name>.ts and exports
// `run(args: string[]): Promise<number>` (the exit code) and `usage: string`.
const commands: Record<string, { file: string; summary: string }> = {
  audit: { file: './commands/audit.ts', summary: 'look for a known (planted) key in every form in a folder' },
  scan: { file: './commands/scan.ts', summary: 'look for real-looking OpenAI keys in a project' },
  new: { file: './commands/new.ts', summary: "write a chapter's starter project with a freshly planted key" },
  check: { file: './commands/check.ts', summary: "run a chapter's checks on a folder" },
  platform: { file: './commands/platform.ts', summary: 'start the mock OpenAI platform' },
  verify: { file: './commands/verify.ts', summary: "check a learner's completion record against this course" },
  workshop: { file: './commands/workshop.ts', summary: 'start the workshop service: a room code, a live facilitator view' },
};

function help(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return `Usage: leakproof <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun "leakproof <command> --help" for a command's options.`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    console.log(help());
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    console.error(`leakproof: unknown command "${name}".\n\n${help()}`);
    return 2;
  }
  const mod = await import(command.file);
  return mod.run(rest);
}
