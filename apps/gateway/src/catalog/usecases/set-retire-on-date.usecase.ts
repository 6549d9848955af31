import { Injectable, Logger } from '@nestjs/common';
import { DomainException } from '@cam-esc/errors';
import { JobName, JobQueue, OutboxRelay, outboxEntry } from '@cam-esc/jobs';
import { ServiceRepository, ServiceVersionRepository, VersionWithService } from '@cam-esc/persistence';

const DAY_MS = 86_400_000;

/**
 * ServiceManifest/{id}/setRetireOnDate: the version is retired at midnight UTC at the end of the
 * given day, by a delayed job written with the date (an outbox row, queued after the commit) and kept in the queue store (the worker's sweep
 * re-creates it if the store lost it). `{"retire_on_date": null}` clears the date.
 */
@Injectable()
export class SetRetireOnDateUseCase {
  private readonly logger = new Logger(SetRetireOnDateUseCase.name);

  constructor(
    private readonly services: ServiceRepository,
    private readonly versions: ServiceVersionRepository,
    private readonly jobs: JobQueue,
    private readonly outbox: OutboxRelay,
  ) {}

  async execute(tenantId: string, versionId: string, body: unknown, now = new Date()): Promise<VersionWithService> {
    const raw = (body as { retire_on_date?: unknown } | null)?.retire_on_date;
    const day = raw === null ? null : retireDay(raw, now);
    const version = await this.services.findVersion(tenantId, versionId);
    if (!version) throw DomainException.notFound('service version', versionId);
    if (version.status === 'Retired') throw DomainException.conflict(`service version '${version.version}' is already Retired`);
    const job = day ? outboxEntry(JobName.RetireVersion, { serviceVersionId: version.id, retireOn: day.toISOString() }, day) : undefined;
    const { version: updated, outboxId } = await this.versions.setRetireOn(version.id, day, job);
    if (job && outboxId !== undefined) this.outbox.relaySoon(outboxId, job);
    // an old job is harmless (the worker retires only on the date stored now): cancelling it is tidiness, not awaited
    if (version.retireOn) {
      const old = { serviceVersionId: version.id, retireOn: version.retireOn.toISOString() };
      void this.jobs.cancel(JobName.RetireVersion, old).catch((e) => this.logger.debug({ serviceVersionId: version.id, err: (e as Error).message }, 'could not cancel the old retire job'));
    }
    return updated;
  }
}

/**
 * Midnight UTC at the end of the calendar day the date names: its first ten characters, read
 * literally (no time zone of the server's or of the value shifts the day). A day before today,
 * or more than 100 years ahead, is a 400.
 */
function retireDay(raw: unknown, now: Date): Date {
  const field = 'retire_on_date';
  const m = typeof raw === 'string' ? /^(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(raw) : null;
  if (!m) throw DomainException.invalid(`${field}: must be an ISO-8601 date such as "2030-10-28" or "2030-10-28T07:03:11.612Z"`, { field });
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const start = new Date(Date.UTC(year, month - 1, day));
  if (start.getUTCFullYear() !== year || start.getUTCMonth() !== month - 1 || start.getUTCDate() !== day) {
    throw DomainException.invalid(`${field}: ${m[1]}-${m[2]}-${m[3]} is not a day of the calendar`, { field });
  }
  const endOfDay = new Date(start.getTime() + DAY_MS);
  if (endOfDay.getTime() <= now.getTime()) {
    throw DomainException.invalid(`${field}: ${m[1]}-${m[2]}-${m[3]} is in the past; give today or a later day (the version is retired at midnight UTC at the end of it)`, { field });
  }
  if (year > now.getUTCFullYear() + 100) throw DomainException.invalid(`${field}: ${year} is more than 100 years ahead`, { field });
  return endOfDay;
}
