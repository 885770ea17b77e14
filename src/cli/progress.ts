import type { EventRecord } from "../server/store/tenantStore";

/**
 * Live progress of a run on stderr: one line per step when it finishes (succeeded or failed, with
 * its attempts), and on a terminal a progress bar redrawn under those lines. A pipeline's log gets
 * the lines only (no carriage returns or escape codes).
 */
export interface ProgressOptions {
  readonly write: (text: string) => void;
  readonly tty: boolean;
  readonly total: number;
  /** Action id -> its position in the plan (1-based) and a short label. */
  readonly labels: ReadonlyMap<string, { readonly index: number; readonly label: string }>;
}

const BAR_WIDTH = 24;

export class ProgressPrinter {
  private done = 0;
  private barShown = false;
  private readonly seen = new Set<number>();

  constructor(private readonly options: ProgressOptions) {}

  /** Handles an event once (events may arrive live and again from the stored replay). */
  onEvent(event: EventRecord): void {
    if (this.seen.has(event.seq)) return;
    this.seen.add(event.seq);
    const { total, labels } = this.options;
    const width = String(total).length;
    const where = (id: string): string => {
      const l = labels.get(id);
      return `[${String(l?.index ?? "?").padStart(width)}/${total}] ${l?.label ?? id}`;
    };
    const attempts = (n: number): string => (n > 1 ? ` (${n} attempts)` : "");
    switch (event.type) {
      case "action-succeeded":
        this.done++;
        this.line(`ok      ${where(event.data.actionId)}${attempts(event.data.attempt)}`);
        break;
      case "action-failed":
        this.done++;
        this.line(`FAILED  ${where(event.data.actionId)}: ${event.data.error.message}`);
        break;
      case "action-retried":
        // Not a line of its own: a retry shows in the step's attempts; the bar says what waits.
        this.bar(`retrying ${event.data.cmdlet}`);
        break;
      case "action-started":
        this.bar(event.data.cmdlet);
        break;
      case "run-finished":
        this.clearBar();
        break;
    }
  }

  /** Removes the bar (before the summary is printed). */
  finish(): void {
    this.clearBar();
  }

  private line(text: string): void {
    this.clearBar();
    this.options.write(`${text}\n`);
    this.bar();
  }

  private bar(activity = ""): void {
    if (!this.options.tty) return;
    const { total } = this.options;
    const filled = total === 0 ? BAR_WIDTH : Math.round((this.done / total) * BAR_WIDTH);
    const text = `[${"#".repeat(filled)}${"-".repeat(BAR_WIDTH - filled)}] ${this.done}/${total} ${activity}`;
    this.options.write(`\r\x1b[K${text}`);
    this.barShown = true;
  }

  private clearBar(): void {
    if (!this.barShown) return;
    this.options.write("\r\x1b[K");
    this.barShown = false;
  }
}
