/**
 * Rendering throughput of the flow engine against fast-xml-parser's own builder, in one run: the
 * engine renders a deployment step (substitute into the compiled template, set the gateway's
 * name, build), the floor builds the same already-substituted tree. Datamodels per second, and
 * the engine's share of the floor.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildXml, CompiledTemplate } from '../../libs/esc/src';
import { kindOfTemplateRoot } from '../../libs/flow/src/kinds/registry';
import { EscStepKind } from '../../libs/flow/src/kinds/step-kind';

export interface RenderResult {
  datamodel: string;
  vmGroups: number;
  bytes: number;
  engineDatamodelsPerSecond: number;
  builderDatamodelsPerSecond: number;
  /** engine / builder: 1 would be rendering at the builder's own speed. */
  ratioToBuilder: number;
}

const seed = readFileSync(join(__dirname, '..', '..', 'test', 'fixtures', 'esc', 'deployment_update_add_group.request.xml'), 'utf8');

/** The seed's two-group update body with placeholders, or with its groups repeated up to `groups`. */
function template(groups: number): string {
  const templated = seed.replace('<name>admin</name>', '<name>${tenant}</name>').replaceAll('<image>ASA</image>', '<image>${image}</image>').replaceAll('18.0.0.16', '${mgmt_ip}');
  if (groups <= 2) return templated;
  const start = templated.indexOf('<vm_group>');
  const end = templated.lastIndexOf('</vm_group>') + '</vm_group>'.length;
  const pair = templated.slice(start, end);
  const copies = Array.from({ length: groups / 2 }, (_, i) => pair.replace(/<name>([^<]+)<\/name>(\s*<bootup_time>)/g, `<name>$1-${i}</name>$2`)).join('\n');
  return templated.slice(0, start) + copies + templated.slice(end);
}

function perSecond(fn: () => void, ms: number): number {
  for (let i = 0; i < 200; i++) fn(); // warm up
  let n = 0;
  const start = process.hrtime.bigint();
  const budget = BigInt(ms) * 1_000_000n;
  while (process.hrtime.bigint() - start < budget) {
    for (let i = 0; i < 50; i++) fn();
    n += 50;
  }
  return n / (Number(process.hrtime.bigint() - start) / 1e9);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export function runRenderScenario(groups: number, rounds = 5, msPerRound = 600): RenderResult {
  const kind = kindOfTemplateRoot('esc_datamodel') as EscStepKind;
  const compiled = CompiledTemplate.compile(template(groups));
  const values = { tenant: 'ceg-tenant-1', image: 'ASAv-9.18', mgmt_ip: '10.0.0.5' };
  const identity = { resourceId: '11111111-2222-4333-8444-555555555555', internalId: 'ceg-11111111-2222-4333-8444-555555555555' };
  const substituted = compiled.substitute(values).nodes;
  const engine: number[] = [];
  const builder: number[] = [];
  // interleaved rounds, so both see the same machine
  for (let r = 0; r < rounds; r++) {
    engine.push(perSecond(() => kind.renderCreate(compiled, values, identity), msPerRound));
    builder.push(perSecond(() => buildXml(substituted), msPerRound));
  }
  const e = median(engine);
  const b = median(builder);
  return {
    datamodel: groups <= 2 ? 'ESC seed two-group update body' : `${groups} vm_groups`,
    vmGroups: groups,
    bytes: Buffer.byteLength(kind.renderCreate(compiled, values, identity).request.body!),
    engineDatamodelsPerSecond: Math.round(e),
    builderDatamodelsPerSecond: Math.round(b),
    ratioToBuilder: Math.round((e / b) * 100) / 100,
  };
}
