/** What a command may touch of the process, injected so a whole run is testable in-process. */
export interface CliIo {
  readonly stdout: { write(text: string): void };
  readonly stderr: { write(text: string): void; readonly isTTY?: boolean };
  /**
   * The settings environment. On a terminal, the process's own variables. With --job, only what
   * the flags and the job's tokens give (job-run.ts): no variable the project sets steers a job run.
   */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** With --job: every variable of the job (--job-env-file), untrusted data for rules and checks. */
  readonly jobVariables?: Readonly<Record<string, string>>;
}
