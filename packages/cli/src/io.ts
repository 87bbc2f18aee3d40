import { createInterface } from 'node:readline/promises';

/** Where a command writes and how it asks: the process's streams, or a test's buffers. */
export interface CliIo {
  /** Results (what `--json` prints goes here alone). */
  readonly stdout: (text: string) => void;
  /** Progress, warnings and errors. */
  readonly stderr: (text: string) => void;
  /** True when stderr is a terminal (live progress, colours). */
  readonly interactive: boolean;
  /** Asks a yes/no question; resolves to false when nobody can answer (no terminal). */
  readonly confirm: (question: string) => Promise<boolean>;
  /** The directory relative paths are taken from. */
  readonly cwd: string;
}

/** The real process's streams. */
export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    interactive: process.stderr.isTTY === true && !process.env.CI,
    cwd: process.cwd(),
    confirm: async (question) => {
      if (!process.stdin.isTTY) return false;
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      try {
        const answer = await rl.question(`${question} [y/N] `);
        return /^y(es)?$/i.test(answer.trim());
      } finally {
        rl.close();
      }
    },
  };
}
