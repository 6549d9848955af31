/** How far a chaos run is: a cli-progress bar on a terminal, a line every few seconds otherwise (CI, tests). */
import { Presets, SingleBar } from 'cli-progress';

export interface ProgressView {
  done: number;
  total: number;
  line(): string;
}

export class Progress {
  private bar?: SingleBar;
  private timer?: NodeJS.Timeout;
  private lastLine = 0;

  constructor(private readonly view: ProgressView, private readonly everyMs = 5000) {}

  start(): void {
    if (process.stdout.isTTY) {
      this.bar = new SingleBar({ format: 'chaos |{bar}| {value}/{total} done | {status}', hideCursor: true, clearOnComplete: true }, Presets.shades_classic);
      this.bar.start(this.view.total, this.view.done, { status: this.view.line() });
    }
    this.timer = setInterval(() => this.tick(), this.bar ? 500 : 1000);
  }

  private tick(): void {
    if (this.bar) return this.bar.update(this.view.done, { status: this.view.line() });
    if (Date.now() - this.lastLine < this.everyMs) return;
    this.lastLine = Date.now();
    console.log(`chaos: ${this.view.done}/${this.view.total} done; ${this.view.line()}`);
  }

  /** A line of its own (a fault, an app restarted) without breaking the bar. */
  say(line: string): void {
    if (this.bar) {
      this.bar.stop();
      console.log(line);
      this.bar.start(this.view.total, this.view.done, { status: this.view.line() });
    } else console.log(line);
  }

  stop(): void {
    clearInterval(this.timer);
    this.bar?.update(this.view.done, { status: this.view.line() });
    this.bar?.stop();
  }
}
