import { Command } from 'commander';
import { CliContext } from '../context';
import { colourStatus, printJson, printTable } from '../output';

const API = '/cam/composer/api/v1';

interface ServiceRow { id: string; name: string; status?: string; serviceManifestId?: string; category?: string }
interface VersionRow { id: string; version: string; status: string; serviceInstanceCount?: number; lastUpdated?: string }
interface TemplateRow { id: string; name: string; version: string; resource?: string; type?: string }

/** services, versions, templates: what there is to deploy. */
export function registerCatalogCommands(program: Command, ctx: CliContext): void {
  program
    .command('services')
    .description('the services of the catalog')
    .option('--json', 'JSON instead of a table')
    .action(ctx.run(async (opts: { json?: boolean }) => {
      const services = await ctx.client().get<ServiceRow[]>(`${API}/service?filter[limit]=500`);
      if (opts.json) return printJson(services);
      printTable(['service id', 'name', 'category', 'default version id', 'status'], services.map((s) => [s.id, s.name, s.category, s.serviceManifestId, s.status ? colourStatus(s.status) : '']));
    }));

  program
    .command('versions <service-id>')
    .description("a service's versions (a version id is what deploy and batch take)")
    .option('--json', 'JSON instead of a table')
    .action(ctx.run(async (serviceId: string, opts: { json?: boolean }) => {
      const versions = await ctx.client().get<VersionRow[]>(`${API}/Service/${encodeURIComponent(serviceId)}/ServiceVersions`);
      if (opts.json) return printJson(versions);
      printTable(['version id', 'version', 'status', 'live instances', 'updated'], versions.map((v) => [v.id, v.version, colourStatus(v.status), v.serviceInstanceCount, v.lastUpdated]));
    }));

  program
    .command('templates')
    .description('the ESC templates of the library')
    .option('--json', 'JSON instead of a table')
    .action(ctx.run(async (opts: { json?: boolean }) => {
      const templates = await ctx.client().get<TemplateRow[]>('/cam/api/v1/templates?filter[limit]=500');
      if (opts.json) return printJson(templates);
      printTable(['template id', 'name', 'version', 'resource'], templates.map((t) => [t.id, t.name, t.version, t.resource ?? t.type]));
    }));
}
