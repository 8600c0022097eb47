/** What a CLI command may touch, passed in so tests run commands without a process or files. */
export interface CliIo {
  /** Reads all of standard input. */
  stdin: () => Promise<string>;
  /** True when standard input is a terminal (nothing piped), so waiting on it would hang. */
  stdinIsTTY?: boolean;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readFile: (path: string) => Promise<string>;
  /** The environment (`--live` reads CONFIG, PROMETHEUS_URL, PROMETHEUS_TOKEN from it). */
  env?: Record<string, string | undefined>;
}

/** Exit codes: 0 success, 1 invalid input (payload or rules), 2 usage (bad flags, unreadable file). */
export const EXIT = { ok: 0, invalid: 1, usage: 2 } as const;
