import { Command, Option } from 'commander';
import { RulesFileError, UsageError } from '../errors.js';
import { loadRules, loadRulesFile } from '../rules/load-rules.js';
import type { HostMatch, LoadedRule, Rule } from '../rules/types.js';
import { writeOut, type Io } from './io.js';
import { createStyle, preloadColour, resolveColorLevel } from './style.js';

function matchText(m: HostMatch): string {
  const parts: string[] = [];
  const list = (v: unknown) => [v].flat().join('/');
  if (m.product) parts.push(list(m.product));
  else if (m.family) parts.push(list(m.family));
  if (m.release) parts.push(list(m.release));
  if (m.editionClass) parts.push(`(${list(m.editionClass)})`);
  if (m.build !== undefined) parts.push(`build ${list(m.build)}`);
  if (m.minBuild !== undefined || m.maxBuild !== undefined) parts.push(`build ${m.minBuild ?? ''}–${m.maxBuild ?? ''}`);
  if (m.servicePack !== undefined) parts.push(`SP${list(m.servicePack)}`);
  if (m.server !== undefined) parts.push(m.server ? 'server' : 'client');
  if (m.arch) parts.push(list(m.arch));
  return parts.join(' ');
}

/** Products a rule is about, for `rules list`. */
export function appliesTo(rule: Rule): string[] {
  const matches = rule.kind === 'patch' ? rule.targets.map((t) => t.match) : rule.kind === 'end-of-support' ? rule.lifecycle.map((e) => e.match) : rule.appliesTo ? [rule.appliesTo] : [];
  const products = new Set<string>();
  for (const m of matches) {
    const p = m.product ?? m.family ?? 'any host';
    for (const x of [p].flat()) products.add(String(x));
  }
  if (rule.kind === 'min-version' && products.size === 0) products.add(`hosts with ${rule.field}`);
  return [...products];
}

function ruleToText(l: LoadedRule): string {
  const r = l.rule;
  const lines = [
    `${r.id}: ${r.title}`,
    `  kind ${r.kind}, severity ${r.severity}, pack ${l.pack} ${l.packVersion} (data as of ${l.dataAsOf}; ${l.origin})`,
  ];
  if (r.cves?.length) lines.push(`  CVEs: ${r.cves.join(', ')}`);
  if (r.tags?.length) lines.push(`  tags: ${r.tags.join(', ')}`);
  if (r.description) lines.push(`  ${r.description}`);
  lines.push(`  remediation: ${r.remediation}`);
  if (r.references?.length) lines.push('  references:', ...r.references.map((x) => `    ${x}`));
  if (r.kind === 'patch') {
    if (r.published) lines.push(`  made public ${r.published.date} (an audit dated earlier finds it not applicable)`, `    source: ${r.published.source}`);
    lines.push('  affected platforms and the evidence that shows the fix:');
    for (const t of r.targets) {
      const ev: string[] = [];
      if (t.noFix) ev.push('no fix exists');
      if (t.minServicePack !== undefined) ev.push(`needs SP${t.minServicePack}`);
      if (t.kbs?.length) ev.push(`KBs ${t.kbs.join(', ')}`);
      if (t.rollups) ev.push(`any ${t.rollups.family} monthly rollup/cumulative update after ${t.rollups.fixMonth}`);
      if (t.minRevision !== undefined) ev.push(`build revision ≥ ${t.minRevision}`);
      if (t.fileVersion) ev.push(`${t.fileVersion.file} ≥ ${t.fileVersion.fixes.map((f) => f.min).join(' / ')}`);
      if (t.notFixedBy?.length) ev.push(`not: ${t.notFixedBy.join(', ')}`);
      lines.push(`    - ${matchText(t.match)}: ${ev.join('; ')}`, `      source: ${t.source}`);
    }
    if (r.notAffected?.length) {
      lines.push('  not affected:');
      for (const n of r.notAffected) lines.push(`    - ${matchText(n.match)}`, `      source: ${n.source}`);
    }
    if (r.unconfirmed?.length) {
      lines.push('  no confirmed data (unknown):');
      for (const u of r.unconfirmed) lines.push(`    - ${matchText(u.match)}: ${u.reason}`, `      source: ${u.source}`);
    }
  } else if (r.kind === 'end-of-support') {
    lines.push(`  lifecycle${r.lifecycle.some((e) => e.released) ? ' (an audit dated before a release finds its hosts unknown: the inventory is newer than the audit date)' : ''}:`);
    for (const e of r.lifecycle) {
      lines.push(`    - ${e.name}: ${e.released ? `released ${e.released}, ` : ''}${e.mainstreamEnd ? `mainstream ${e.mainstreamEnd}, ` : ''}end ${e.end}${e.esuEnd ? `, ESU ${e.esuEnd}` : ''}`, `      source: ${e.source}`);
    }
  } else {
    lines.push(`  field ${r.field} must satisfy ${r.range}${r.whenMissing ? `; missing → ${r.whenMissing}` : ''}`);
  }
  if (l.sources?.length) {
    lines.push('  sources cited above:');
    for (const src of l.sources) lines.push(`    [${src.id}] ${src.title}${src.url ? ` <${src.url}>` : ''}`);
  }
  return lines.join('\n') + '\n';
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

export function registerRulesCommands(program: Command, io: Io, setExit: (code: number) => void): void {
  const rules = program.command('rules').description('list, show and validate rules');

  rules
    .command('list')
    .description('list the rules: id, title, severity, pack, what they apply to')
    .option('-r, --rules <spec>', 'packs or rules files to list (default: all built-in packs)', (v: string, p: string[] = []) => [...p, v])
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'))
    .option('--color', 'force colour')
    .option('--no-color', 'no colour')
    .action(async (opts: { rules?: string[]; format: string; color?: boolean }) => {
      const loaded = await loadRules(opts.rules ?? []);
      if (opts.format === 'json') {
        const out = loaded.map((l) => ({ id: l.rule.id, title: l.rule.title, severity: l.rule.severity, kind: l.rule.kind, pack: l.pack, version: l.packVersion, dataAsOf: l.dataAsOf, appliesTo: appliesTo(l.rule) }));
        await writeOut(io.stdout, JSON.stringify(out, null, 2) + '\n');
      } else {
        const lvl = resolveColorLevel(opts.color, io.env, io.stdout);
        await preloadColour(lvl);
        const st = createStyle(lvl);
        const lines = [st.bold([pad('ID', 16), pad('SEVERITY', 9), pad('PACK', 15), pad('TITLE', 52), 'APPLIES TO'].join(' '))];
        for (const l of loaded) {
          const at = appliesTo(l.rule);
          lines.push([pad(l.rule.id, 16), pad(l.rule.severity, 9), pad(l.pack, 15), pad(l.rule.title, 52), at.slice(0, 6).join(', ') + (at.length > 6 ? `, … (${at.length} in all)` : '')].join(' '));
        }
        await writeOut(io.stdout, lines.join('\n') + '\n');
      }
      setExit(0);
    });

  rules
    .command('show')
    .description('show one rule in full, with its data and sources')
    .argument('<id>', 'rule id, e.g. MS17-010')
    .option('-r, --rules <spec>', 'packs or rules files to look in (default: all built-in packs)', (v: string, p: string[] = []) => [...p, v])
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'))
    // Accepted as by every command (scripts pass them alike); the rule text itself is plain.
    .option('--color', 'force colour')
    .option('--no-color', 'no colour')
    .action(async (id: string, opts: { rules?: string[]; format: string }) => {
      const loaded = await loadRules(opts.rules ?? []);
      const l = loaded.find((x) => x.rule.id.toLowerCase() === id.toLowerCase());
      if (!l) throw new UsageError(`no rule "${id}" (rules: ${loaded.map((x) => x.rule.id).join(', ')})`);
      if (opts.format === 'json') await writeOut(io.stdout, JSON.stringify({ pack: l.pack, version: l.packVersion, dataAsOf: l.dataAsOf, origin: l.origin, sources: l.sources ?? [], rule: l.rule }, null, 2) + '\n');
      else await writeOut(io.stdout, ruleToText(l));
      setExit(0);
    });

  rules
    .command('validate')
    .description('check rules files against the rules schema (exit 0 valid, 2 invalid)')
    .argument('<file...>', 'rules files (YAML or JSON)')
    .option('--color', 'force colour')
    .option('--no-color', 'no colour')
    .action(async (files: string[]) => {
      let failed = false;
      for (const file of files) {
        try {
          const pack = await loadRulesFile(file);
          await writeOut(io.stdout, `${file}: valid (${pack.rules.length} rule${pack.rules.length === 1 ? '' : 's'})\n`);
        } catch (err) {
          if (!(err instanceof RulesFileError)) throw err;
          failed = true;
          err.problems.forEach((_, i) => io.stderr.write(`${file}: ${err.located(i)}\n`));
        }
      }
      setExit(failed ? 2 : 0);
    });
}
