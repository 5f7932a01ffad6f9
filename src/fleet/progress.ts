/**
 * Progress of a fleet run on standard error: a live bar on a terminal (cli-progress), plain
 * lines every `every` projects elsewhere (CI logs keep every line a bar would redraw). The
 * total is unknown while the listing streams, so the bar counts up.
 */
import cliProgress from 'cli-progress';

export interface Progress {
  tick(counts: Readonly<Record<string, number>>): void;
  /** `finished` false: the run stopped on an error (and may be resumed). */
  stop(counts: Readonly<Record<string, number>>, finished: boolean): void;
}

export function createProgress(label: string, target: { write(text: string): void; readonly isTTY?: boolean }, every = 100): Progress {
  if (target.isTTY === true) {
    const bar = new cliProgress.SingleBar(
      {
        format: `${label} {spinner} {value} projects | {summary} | {duration_formatted}`,
        stream: target as unknown as NodeJS.WritableStream, // a TTY stream: what cli-progress writes to
        hideCursor: true,
        clearOnComplete: false,
        noTTYOutput: false,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(0, 0, { summary: '', spinner: '' });
    let done = 0;
    return {
      tick(counts) {
        done += 1;
        bar.setTotal(done);
        bar.update(done, { summary: summarize(counts), spinner: '' });
      },
      stop(counts, finished) {
        bar.update(done, { summary: `${finished ? '' : 'STOPPED, '}${summarize(counts)}` });
        bar.stop();
      },
    };
  }
  let done = 0;
  return {
    tick(counts) {
      done += 1;
      if (done % every === 0) target.write(`${label}: ${done} projects, ${summarize(counts)}\n`);
    },
    stop(counts, finished) {
      target.write(`${label}: ${finished ? 'done' : 'stopped'}, ${done} projects this run, ${summarize(counts)}\n`);
    },
  };
}

function summarize(counts: Readonly<Record<string, number>>): string {
  return Object.entries(counts)
    .map(([name, count]) => `${count} ${name}`)
    .join(', ');
}
