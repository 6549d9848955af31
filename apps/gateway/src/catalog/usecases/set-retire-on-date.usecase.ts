import { Injectable } from '@nestjs/common';
import { DomainException } from '@cam-esc/errors';
import { JobName, JobQueue } from '@cam-esc/jobs';
import { ServiceRepository, ServiceVersionRepository, VersionWithService } from '@cam-esc/persistence';

const DAY_MS = 86_400_000;

/**
 * ServiceManifest/{id}/setRetireOnDate: the version is retired at midnight UTC at the end of the
 * given day, by a delayed job in the queue store (it survives restarts; the worker's sweep
 * re-creates it if the store was lost). `{"retire_on_date": null}` clears the date.
 */
@Injectable()
export class SetRetireOnDateUseCase {
  constructor(
    private readonly services: ServiceRepository,
    private readonly versions: ServiceVersionRepository,
    private readonly jobs: JobQueue,
  ) {}

  async execute(tenantId: string, versionId: string, body: unknown, now = new Date()): Promise<VersionWithService> {
    const raw = (body as { retire_on_date?: unknown } | null)?.retire_on_date;
    const day = raw === null ? null : retireDay(raw, now);
    const version = await this.services.findVersion(tenantId, versionId);
    if (!version) throw DomainException.notFound('service version', versionId);
    if (version.status === 'Retired') throw DomainException.conflict(`service version '${version.version}' is already Retired`);
    if (version.retireOn) await this.jobs.cancel(JobName.RetireVersion, { serviceVersionId: version.id, retireOn: version.retireOn.toISOString() });
    const updated = await this.versions.setRetireOn(version.id, day);
    if (day) await this.jobs.enqueue(JobName.RetireVersion, { serviceVersionId: version.id, retireOn: day.toISOString() }, { delayMs: Math.max(0, day.getTime() - Date.now()) });
    return updated;
  }
}

/** Midnight UTC at the end of the day the date names; a day before today is a 400. */
function retireDay(raw: unknown, now: Date): Date {
  const field = 'retire_on_date';
  if (typeof raw !== 'string' || !/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(raw) || Number.isNaN(Date.parse(raw))) {
    throw DomainException.invalid(`${field}: must be an ISO-8601 date such as "2030-10-28" or "2030-10-28T07:03:11.612Z"`, { field });
  }
  const at = new Date(raw);
  const endOfDay = new Date(Math.floor(at.getTime() / DAY_MS) * DAY_MS + DAY_MS);
  if (endOfDay.getTime() <= now.getTime()) {
    throw DomainException.invalid(`${field}: ${at.toISOString().slice(0, 10)} is in the past; give today or a later day (the version is retired at midnight UTC at the end of it)`, { field });
  }
  return endOfDay;
}
