/**
 * The instances of a chaos run, each its own little story: deployed through one gateway
 * (round-robin), waited for until Active, terminated through the next gateway, waited for until
 * Terminated; at most `concurrency` of them in flight. An instance that has not settled within
 * `settleTimeoutMs` of the later of the last fault and its own last request is stuck: it gives
 * its place up (the run goes on) and is still watched, to see whether it settles late.
 */
import { Cam, CAM, persist } from './api';
import { FaultInjector, PlannedFaults } from './faults';
import { InstanceWatch } from './observe';
import { chaosDeployBody } from './service';

export const SETTLED = ['Active', 'Terminated', 'Error'];

export interface InstanceRun {
  index: number;
  name: string;
  id?: string;
  faults: PlannedFaults;
  terminate: boolean;
  deployGateway: number;
  terminateGateway?: number;
  submittedAt?: number;
  activeAt?: number;
  terminateSubmittedAt?: number;
  /** When it reached where it ends (Active, Terminated or Error), by the server's clock. */
  settledAt?: number;
  status?: string;
  /** Not settled in time; lateSettledAt when it settled afterwards. */
  stuck?: boolean;
  /** Its Status when it was found stuck. */
  stuckStatus?: string;
  lateSettledAt?: number;
  apiErrors: string[];
}

export interface DriveSettings {
  concurrency: number;
  settleTimeoutMs: number;
}

export class Driver {
  private inFlight = 0;
  private queue: Array<() => void> = [];
  private aborted = false;
  lastSubmitAt = 0;

  constructor(
    readonly runs: InstanceRun[],
    private readonly gateways: Cam[],
    private readonly manifestId: string,
    private readonly watch: InstanceWatch,
    private readonly faults: FaultInjector,
    private readonly settings: DriveSettings,
    private readonly onProgress: () => void,
  ) {}

  get done(): number {
    return this.runs.filter((r) => r.settledAt !== undefined || r.stuck).length;
  }

  /** How far the run is, 0..1: each instance counts twice, once past its deploy and once settled. */
  get work(): number {
    const past = (r: InstanceRun) => (r.activeAt !== undefined || r.status !== undefined || r.stuck ? 1 : 0) + (r.settledAt !== undefined || r.stuck ? 1 : 0);
    return this.runs.reduce((n, r) => n + past(r), 0) / (2 * this.runs.length);
  }

  /** Resolves once every instance settled or is stuck; `pipelines` resolves when every story has ended (see abort). */
  start(): { released: Promise<void>; pipelines: Promise<void> } {
    const releases: Promise<void>[] = [];
    const pipelines = this.runs.map((run) => {
      let release!: () => void;
      releases.push(new Promise<void>((r) => (release = r)));
      return this.story(run, release);
    });
    return { released: Promise.all(releases).then(() => undefined), pipelines: Promise.all(pipelines).then(() => undefined) };
  }

  /** Ends the stories still waiting (after the grace period for stuck instances). */
  abort(): void {
    this.aborted = true;
    this.watch.cancelAll();
    for (const wake of this.queue.splice(0)) wake();
  }

  private async slot(): Promise<void> {
    if (this.inFlight < this.settings.concurrency) {
      this.inFlight++;
      return;
    }
    await new Promise<void>((r) => this.queue.push(r));
    this.inFlight++;
  }

  private free(): void {
    this.inFlight--;
    this.queue.shift()?.();
  }

  private async story(run: InstanceRun, release: () => void): Promise<void> {
    await this.slot();
    let released = false;
    const letGo = () => {
      if (released) return;
      released = true;
      this.free();
      release();
      this.onProgress();
    };
    try {
      if (this.aborted) return;
      const cam = this.gateways[run.deployGateway];
      const note = (line: string) => run.apiErrors.push(line);
      const deployed = await persist(`deploy ${run.name}`, () => cam.post<{ id: string }>(`${CAM}/ServiceManifest/${this.manifestId}/deploy`, chaosDeployBody(run.name)), note).catch((e: Error) => {
        note(e.message);
        return undefined;
      });
      if (!deployed) {
        run.stuck = true;
        return;
      }
      run.id = deployed.json.id;
      run.submittedAt = this.lastSubmitAt = Date.now();
      let seen = await this.wait(run, ['Active', 'Error'], run.submittedAt, letGo);
      if (!seen) return;
      run.activeAt = seen.updatedAt;
      this.onProgress();
      if (seen.status === 'Error' || !run.terminate) return this.settle(run, seen.status, seen.updatedAt, letGo);
      run.terminateGateway = (run.deployGateway + 1) % this.gateways.length;
      const terminated = await persist(`terminate ${run.name}`, () => this.gateways[run.terminateGateway!].post(`${CAM}/ServiceInstances/${run.id}/terminate`, {}), note).catch((e: Error) => {
        note(e.message);
        return undefined;
      });
      if (!terminated) {
        run.stuck = true;
        return;
      }
      run.terminateSubmittedAt = this.lastSubmitAt = Date.now();
      seen = await this.wait(run, ['Terminated', 'Error'], run.terminateSubmittedAt, letGo);
      if (seen) this.settle(run, seen.status, seen.updatedAt, letGo);
    } finally {
      letGo();
    }
  }

  private settle(run: InstanceRun, status: string, at: number, letGo: () => void): void {
    run.status = status;
    if (run.stuck) run.lateSettledAt = at;
    else run.settledAt = at;
    letGo();
  }

  /** Waits for one of `statuses`; past the instance's deadline it is stuck (and the wait goes on until the run aborts). */
  private async wait(run: InstanceRun, statuses: string[], since: number, letGo: () => void) {
    for (;;) {
      if (this.aborted) return undefined;
      const seen = await this.watch.until(run.id!, (i) => statuses.includes(i.status), 1000);
      if (seen) return seen;
      const deadline = Math.max(this.faults.lastFaultAt, since) + this.settings.settleTimeoutMs;
      if (!run.stuck && Date.now() > deadline) {
        run.stuck = true;
        run.stuckStatus = this.watch.byId.get(run.id!)?.status;
        letGo();
      }
    }
  }
}
