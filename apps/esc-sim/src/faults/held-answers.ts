import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { ServerResponse } from 'node:http';

/**
 * The answers a `delayMs` fault keeps back. Closing the simulator destroys their connections
 * rather than wait for them (the HTTP server would otherwise stay open until they are sent).
 */
@Injectable()
export class HeldAnswers implements OnModuleDestroy {
  private readonly held = new Map<ServerResponse, () => void>();

  /**
   * Resolves after `ms`, or as soon as the connection closes (the client gave up, or the
   * simulator closed it): writing to it afterwards is a no-op.
   */
  hold(res: ServerResponse, ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const release = (): void => {
        clearTimeout(timer);
        res.off('close', release);
        this.held.delete(res);
        resolve();
      };
      const timer = setTimeout(release, ms);
      res.on('close', release);
      this.held.set(res, release);
    });
  }

  onModuleDestroy(): void {
    for (const [res, release] of [...this.held]) {
      res.socket?.destroy();
      release();
    }
  }
}
