import { existsSync, promises as fsp, readFileSync } from 'node:fs';
import { RulesFileError, UsageError } from '../errors.js';
import { OTHER_PRODUCTS, WINDOWS_PRODUCTS } from '../inventory/products.js';
import type { OsFamily } from '../inventory/types.js';
import { fsMessage } from '../inventory/read-inventory.js';
import { loadRollupCatalog } from './rollups.js';
import type { HostMatch, LoadedRule, RulePack } from './types.js';

/** Built-in packs, in the order their rules appear in reports. */
export const BUILTIN_PACKS = ['ms17-010', 'win-eos', 'cve-2019-0708', 'cve-2020-0796', 'os-eos'] as const;

/** Largest rules/waiver file accepted (they are policy, not data dumps). */
export const MAX_POLICY_FILE_BYTES = 5 * 1024 * 1024;

const builtinCache = new Map<string, RulePack>();

export function loadBuiltinPack(name: string): RulePack {
  let pack = builtinCache.get(name);
  if (!pack) {
    const url = new URL(`./packs/${name}.json`, import.meta.url);
    pack = JSON.parse(readFileSync(url, 'utf8')) as RulePack;
    builtinCache.set(name, pack);
  }
  return pack;
}

/** Map a --rules value to a built-in pack: its name or one of its rule ids, case-insensitively. */
export function findBuiltin(spec: string): string | null {
  const s = spec.toLowerCase();
  if ((BUILTIN_PACKS as readonly string[]).includes(s)) return s;
  for (const name of BUILTIN_PACKS) {
    if (loadBuiltinPack(name).rules.some((r) => r.id.toLowerCase() === s)) return name;
  }
  return null;
}

function toLoaded(pack: RulePack, origin: string): LoadedRule[] {
  return pack.rules.map((rule) => ({ rule, pack: pack.pack, packVersion: pack.version, dataAsOf: pack.dataAsOf, origin, sources: pack.sources }));
}

/**
 * Load rules for a run. Each spec is a built-in pack name ("ms17-010"), a rule id ("WIN-EOS"),
 * "builtin"/"all" for every built-in pack, or a YAML/JSON file. No spec = all built-in packs.
 */
export async function loadRules(specs: string[]): Promise<LoadedRule[]> {
  const list = specs.length === 0 ? ['builtin'] : specs.flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
  const out: LoadedRule[] = [];
  for (const spec of list) {
    if (spec === 'builtin' || spec === 'all') {
      for (const name of BUILTIN_PACKS) out.push(...toLoaded(loadBuiltinPack(name), `builtin:${name}`));
      continue;
    }
    const builtin = /[\\/.]/.test(spec) ? null : findBuiltin(spec);
    if (builtin) {
      out.push(...toLoaded(loadBuiltinPack(builtin), `builtin:${builtin}`));
      continue;
    }
    // A bare word that is neither a built-in pack, a built-in rule id nor a file here is most likely
    // a mistyped pack or rule id: say so, rather than only "no such file".
    if (!/[\\/.]/.test(spec) && !existsSync(spec)) {
      throw new UsageError(`--rules "${spec}": not a built-in pack (${BUILTIN_PACKS.join(', ')}), a built-in rule id (patchaudit rules list) or a rules file`);
    }
    const pack = await loadRulesFile(spec);
    out.push(...toLoaded(pack, spec));
  }
  // Same pack named twice: keep the first; two different rules with one id is an error.
  // Ids are compared ignoring case, as waivers and --rules name them.
  const seen = new Map<string, LoadedRule>();
  const unique: LoadedRule[] = [];
  const position = new Map<string, number>();
  for (const l of out) {
    const index = position.get(l.origin) ?? 0;
    position.set(l.origin, index + 1);
    const prev = seen.get(l.rule.id.toLowerCase());
    if (prev) {
      if (prev.origin === l.origin) continue;
      throw new RulesFileError(l.origin, [`rules[${index}].id: rule id "${l.rule.id}" is already defined by ${prev.origin}${prev.rule.id !== l.rule.id ? ` (as "${prev.rule.id}"; ids differ only in case)` : ''}`]);
    }
    seen.set(l.rule.id.toLowerCase(), l);
    unique.push(l);
  }
  if (unique.length === 0) throw new UsageError('no rules to audit with');
  return unique;
}

/** Read, parse and validate one rules file; every problem is reported with its path. */
export async function loadRulesFile(file: string): Promise<RulePack> {
  const { data, lineOf } = await readPolicy(file);
  const problems = await validateRulePack(data);
  if (problems.length > 0) throw new RulesFileError(file, problems, lineOf(problems));
  return data as RulePack;
}

/** Finds the line of a path in a policy file that has been read (see readPolicy). */
export type LineOf = (problems: string[]) => (number | undefined)[];

type YamlLib = typeof import('yaml');

/**
 * The line each problem ("rules[0].targets[1].kbs[0]: …") is about: the node at its path, or the
 * nearest enclosing one that exists (a missing key: the mapping that lacks it). Uses the document
 * already parsed, so a hostile file is never parsed twice.
 */
function lineFinder(YAML: YamlLib, doc: import('yaml').Document, lineCounter: import('yaml').LineCounter): LineOf {
  return (problems) =>
    problems.map((p) => {
      const path = /^([A-Za-z0-9_$]+(?:\[\d+\]|\.[^.\s[:]+)*):/.exec(p)?.[1];
      if (!path) return undefined;
      const segments = [...path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]!));
      try {
        for (let n = segments.length; n > 0; n--) {
          const node = doc.getIn(segments.slice(0, n), true);
          if (YAML.isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
        }
      } catch {
        // A path the document cannot follow: no line.
      }
      return undefined;
    });
}

const NO_LINES: LineOf = (problems) => problems.map(() => undefined);

/** Read a YAML or JSON policy file safely: size limit, no custom tags, bounded aliases. */
export async function readPolicyFile(file: string): Promise<unknown> {
  return (await readPolicy(file)).data;
}

/** readPolicyFile, with a way to find the lines of problems found later. */
export async function readPolicy(file: string): Promise<{ data: unknown; lineOf: LineOf }> {
  let text: string;
  try {
    const st = await fsp.stat(file);
    if (st.isDirectory()) throw new RulesFileError(file, ['is a folder, not a file']);
    if (st.size > MAX_POLICY_FILE_BYTES) throw new RulesFileError(file, [`file is ${st.size} bytes, over the limit of ${MAX_POLICY_FILE_BYTES}`]);
    text = await fsp.readFile(file, 'utf8');
  } catch (err) {
    if (err instanceof RulesFileError) throw err;
    throw new RulesFileError(file, [fsMessage(err)]);
  }
  text = text.replace(/^\uFEFF/, '');
  if (text.trim() === '') throw new RulesFileError(file, ['file is empty']);
  try {
    if (/\.json$/i.test(file) || /^\s*[{[]/.test(text)) return await parseJsonPolicy(file, text);
    const YAML = await import('yaml');
    const lineCounter = new YAML.LineCounter();
    const doc = YAML.parseDocument(text, { schema: 'core', customTags: [], uniqueKeys: true, prettyErrors: false, lineCounter });
    // An unknown tag (!!js/function, !custom) is only a warning to the yaml library: here it is an error,
    // because a policy file that needs one is not plain data.
    const problems = [...doc.errors, ...doc.warnings.filter((w) => w.code === 'TAG_RESOLVE_FAILED')];
    if (problems.length > 0) {
      throw new RulesFileError(
        file,
        problems.map((e) => {
          const line = e.pos?.[0] !== undefined ? lineCounter.linePos(e.pos[0]).line : undefined;
          return `${line ? `line ${line}: ` : ''}${e.message.split('\n')[0]}`;
        }),
      );
    }
    // maxAliasCount bounds alias expansion ("billion laughs").
    return { data: doc.toJS({ maxAliasCount: 100 }), lineOf: lineFinder(YAML, doc, lineCounter) };
  } catch (err) {
    if (err instanceof RulesFileError) throw err;
    const msg = err instanceof RangeError || /call stack/i.test((err as Error)?.message ?? '') ? 'nesting too deep' : ((err as Error).message ?? String(err)).split('\n')[0];
    throw new RulesFileError(file, [`not valid ${/\.json$/i.test(file) ? 'JSON' : 'YAML/JSON'}: ${msg}`]);
  }
}

/**
 * JSON.parse, plus what it does not say: a key given twice (JSON.parse keeps the last, so a second
 * "expires" would silently extend a waiver), and the line of a syntax error.
 */
async function parseJsonPolicy(file: string, text: string): Promise<{ data: unknown; lineOf: LineOf }> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const msg = ((err as Error).message ?? String(err)).split('\n')[0]!;
    const pos = /position (\d+)/.exec(msg);
    const line = pos ? text.slice(0, Number(pos[1])).split('\n').length : null;
    throw new RulesFileError(file, [`${line ? `line ${line}: ` : ''}not valid JSON: ${msg}`]);
  }
  const YAML = await import('yaml');
  const lineCounter = new YAML.LineCounter();
  let dups: string[] = [];
  let lineOf = NO_LINES;
  try {
    // JSON is YAML: the YAML reader finds repeated keys, with their lines.
    const doc = YAML.parseDocument(text, { uniqueKeys: true, prettyErrors: false, lineCounter });
    dups = doc.errors
      .filter((e) => e.code === 'DUPLICATE_KEY')
      .map((e) => `${e.pos?.[0] !== undefined ? `line ${lineCounter.linePos(e.pos[0]).line}: ` : ''}${e.message.split('\n')[0]}`);
    lineOf = lineFinder(YAML, doc, lineCounter);
  } catch {
    // Too deep for the YAML reader: the schema check that follows refuses such a file anyway.
  }
  if (dups.length > 0) throw new RulesFileError(file, dups);
  return { data: value, lineOf };
}

type AjvError = { instancePath: string; schemaPath?: string; keyword: string; message?: string; params: Record<string, unknown> };

/**
 * An anyOf whose every branch failed only for lack of one key ("kbs", "rollups", … or "hosts",
 * "where"): one problem naming the choice, instead of one "is required" line per branch, each of
 * which reads as if that key alone were needed. Returns the combined problems and the errors they
 * stand for.
 */
function anyOfChoices(errors: AjvError[]): { problems: Map<AjvError, string>; consumed: Set<AjvError> } {
  const problems = new Map<AjvError, string>();
  const consumed = new Set<AjvError>();
  for (const e of errors) {
    if (e.keyword !== 'anyOf' || !e.schemaPath) continue;
    const branches = errors.filter((b) => b !== e && b.instancePath === e.instancePath && b.schemaPath?.startsWith(e.schemaPath + '/'));
    if (branches.length < 2 || !branches.every((b) => b.keyword === 'required')) continue;
    const keys = [...new Set(branches.map((b) => String(b.params.missingProperty)))];
    problems.set(e, `${jsonPointerToPath(e.instancePath)}: needs one of ${keys.join(', ')}`);
    for (const b of branches) consumed.add(b);
  }
  return { problems, consumed };
}
let validatorPromise: Promise<((data: unknown) => AjvError[])> | null = null;

/** Compile the published JSON Schema once (ajv is loaded only when a rules file is validated). */
export function schemaValidator(schemaFile: string): Promise<(data: unknown) => AjvError[]> {
  const compile = async () => {
    const { default: Ajv2020 } = (await import('ajv/dist/2020.js')) as unknown as { default: new (o: object) => { compile(s: object): ((d: unknown) => boolean) & { errors?: AjvError[] | null } } };
    const schema = JSON.parse(readFileSync(new URL(`../../schema/${schemaFile}`, import.meta.url), 'utf8'));
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    const validate = ajv.compile(schema);
    return (data: unknown) => (validate(data) ? [] : (validate.errors ?? []));
  };
  if (schemaFile !== 'rules.schema.json') return compile();
  validatorPromise ??= compile();
  return validatorPromise;
}

/** "/rules/2/appliesTo/product" → "rules[2].appliesTo.product" */
export function jsonPointerToPath(pointer: string): string {
  let out = '';
  for (const part of pointer.split('/').slice(1)) {
    const p = part.replace(/~1/g, '/').replace(/~0/g, '~');
    out += /^\d+$/.test(p) ? `[${p}]` : out === '' ? p : `.${p}`;
  }
  return out || '(root)';
}

export function ajvProblems(errors: AjvError[]): string[] {
  const out: string[] = [];
  const choices = anyOfChoices(errors);
  for (const e of errors) {
    const choice = choices.problems.get(e);
    if (choice !== undefined) out.push(choice);
    if (choices.consumed.has(e) || e.keyword === 'if' || e.keyword === 'oneOf' || e.keyword === 'anyOf') continue;
    let path = jsonPointerToPath(e.instancePath);
    let msg = e.message ?? e.keyword;
    if (e.keyword === 'required') {
      path = path === '(root)' ? String(e.params.missingProperty) : `${path}.${e.params.missingProperty}`;
      msg = 'is required';
    } else if (e.keyword === 'additionalProperties' || e.keyword === 'unevaluatedProperties') {
      const prop = String(e.params.additionalProperty ?? e.params.unevaluatedProperty);
      path = path === '(root)' ? prop : `${path}.${prop}`;
      msg = 'unknown property';
    } else if (e.keyword === 'enum') {
      msg = `expected one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    } else if (e.keyword === 'type') {
      msg = `expected ${e.params.type}`;
    } else if (e.keyword === 'pattern' && e.params.pattern === '\\S') {
      msg = 'must not be blank';
    } else if (e.keyword === 'const') {
      msg = `expected ${JSON.stringify(e.params.allowedValue)}`;
    }
    out.push(`${path}: ${msg}`);
  }
  return [...new Set(out)];
}

function validDate(s: unknown): boolean {
  if (typeof s !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(s + 'T00:00:00Z');
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** Every product name the OS reader gives, with its family: a match on any other name matches no host. */
const PRODUCT_FAMILY: ReadonlyMap<string, OsFamily> = new Map<string, OsFamily>([
  ...WINDOWS_PRODUCTS.map((p) => [p, 'windows'] as [string, OsFamily]),
  ...OTHER_PRODUCTS.map((p) => [p, p === 'macOS' ? 'macos' : p === 'iOS' || p === 'Android' ? 'other' : 'linux'] as [string, OsFamily]),
]);

const asList = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/**
 * A product name no host can have ("Windows11", "windows 10") matches nothing, so the row it is on is
 * never used: in appliesTo, the rule would silently pass every host.
 */
function productProblems(m: HostMatch, at: string): string[] {
  const out: string[] = [];
  asList(m.product).forEach((p, k) => {
    if (PRODUCT_FAMILY.has(p)) return;
    const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
    const near = [...PRODUCT_FAMILY.keys()].find((known) => squash(known) === squash(p));
    const where = Array.isArray(m.product) ? `${at}.product[${k}]` : `${at}.product`;
    out.push(`${where}: "${p}" matches no host: it is not a product name patchaudit gives (${near ? `did you mean "${near}"?` : 'see the product list in docs/custom-rules.md, section 2'})`);
  });
  return out;
}

/**
 * A release written as no host's release is ("22h2", " 22H2"): patchaudit writes Windows feature
 * updates as "22H2", so the row would match nothing (a min-version appliesTo: silently not applicable).
 */
function releaseProblems(m: HostMatch, at: string): string[] {
  const out: string[] = [];
  asList(m.release).forEach((r, k) => {
    const featureUpdate = /^\d{2}H\d$/i.test(r.trim());
    const meant = featureUpdate ? r.trim().toUpperCase() : r.trim();
    if (meant === r) return;
    const where = Array.isArray(m.release) ? `${at}.release[${k}]` : `${at}.release`;
    out.push(`${where}: "${r}" matches no host: releases are written as patchaudit gives them (did you mean "${meant}"?)`);
  });
  return out;
}

/** The families a match can fit: its family key, else the families of its products; null = any. */
function matchFamilies(m: HostMatch): Set<OsFamily> | null {
  if (m.family !== undefined) return new Set(asList(m.family));
  const products = asList(m.product);
  if (products.length > 0 && products.every((p) => PRODUCT_FAMILY.has(p))) return new Set(products.map((p) => PRODUCT_FAMILY.get(p)!));
  return null;
}

/** Schema validation plus the checks a schema cannot express (real dates, semver ranges, catalog families). */
export async function validateRulePack(data: unknown): Promise<string[]> {
  const validate = await schemaValidator('rules.schema.json');
  const problems = ajvProblems(validate(data));
  if (problems.length > 0) return problems;
  const pack = data as RulePack;
  if (!validDate(pack.dataAsOf)) problems.push(`dataAsOf: "${pack.dataAsOf}" is not a real date`);
  const ids = new Map<string, string>();
  const families = loadRollupCatalog().families;
  for (const [i, rule] of pack.rules.entries()) {
    const at = `rules[${i}]`;
    // Waivers and --rules name rules case-insensitively: two ids that differ only in case are one id.
    const dup = ids.get(rule.id.toLowerCase());
    if (dup !== undefined) problems.push(`${at}.id: duplicate rule id "${rule.id}"${dup !== rule.id ? ` (same as "${dup}" apart from case)` : ''}`);
    else ids.set(rule.id.toLowerCase(), rule.id);
    const rows: [HostMatch, string][] =
      rule.kind === 'patch'
        ? [
            ...rule.targets.map((t, j): [HostMatch, string] => [t.match, `${at}.targets[${j}].match`]),
            ...(rule.notAffected ?? []).map((e, j): [HostMatch, string] => [e.match, `${at}.notAffected[${j}].match`]),
            ...(rule.unconfirmed ?? []).map((e, j): [HostMatch, string] => [e.match, `${at}.unconfirmed[${j}].match`]),
          ]
        : rule.kind === 'end-of-support'
          ? rule.lifecycle.map((e, j): [HostMatch, string] => [e.match, `${at}.lifecycle[${j}].match`])
          : rule.appliesTo
            ? [[rule.appliesTo, `${at}.appliesTo`]]
            : [];
    for (const [m, where] of rows) problems.push(...productProblems(m, where), ...releaseProblems(m, where));
    // `families` means opposite things in the two kinds (patch: families NOT covered; end-of-support:
    // the families covered). A row about hosts that `families` makes not applicable is never used, and
    // a rule whose every row is such silently passes every host.
    if ((rule.kind === 'patch' || rule.kind === 'end-of-support') && rule.families) {
      const listed = new Set(rule.families);
      // The targets (a patch rule's rows start with them) or the lifecycle entries.
      for (const [m, where] of rows.slice(0, rule.kind === 'patch' ? rule.targets.length : rows.length)) {
        const fam = matchFamilies(m);
        if (fam === null) continue;
        const dead = [...fam].every((f) => (rule.kind === 'patch' ? listed.has(f) : !listed.has(f)));
        if (!dead) continue;
        problems.push(
          rule.kind === 'patch'
            ? `${where}: is about ${[...fam].join('/')} hosts, but ${at}.families [${rule.families.join(', ')}] makes them not applicable, so this row is never used (a patch rule's families lists the families it does NOT cover)`
            : `${where}: is about ${[...fam].join('/')} hosts, but ${at}.families [${rule.families.join(', ')}] leaves them out (not applicable), so this row is never used (an end-of-support rule's families lists the families it covers)`,
        );
      }
    }
    if (rule.kind === 'min-version' && (await import('semver')).default.validRange(rule.range, { loose: true }) === null) {
      problems.push(`${at}.range: "${rule.range}" is not a valid semver range`);
    }
    if (rule.kind === 'end-of-support') {
      rule.lifecycle.forEach((e, j) => {
        for (const k of ['released', 'end', 'mainstreamEnd', 'esuEnd', 'homeEsuEnd'] as const) {
          if (e[k] !== undefined && !validDate(e[k])) problems.push(`${at}.lifecycle[${j}].${k}: "${e[k]}" is not a real date`);
        }
        // A release cannot come out after its support ended (a typo, or end and released swapped).
        for (const k of ['mainstreamEnd', 'end'] as const) {
          if (e.released && validDate(e.released) && e[k] && validDate(e[k]) && e.released > e[k]!) problems.push(`${at}.lifecycle[${j}].released: ${e.released} is after ${k} ${e[k]}`);
        }
        if (e.esuEnd && validDate(e.esuEnd) && e.esuEnd < e.end) problems.push(`${at}.lifecycle[${j}].esuEnd: before end`);
        if (e.homeEsuEnd && validDate(e.homeEsuEnd) && (e.homeEsuEnd < e.end || !e.esuEnd || e.homeEsuEnd > e.esuEnd)) problems.push(`${at}.lifecycle[${j}].homeEsuEnd: must lie between end and esuEnd`);
        if (e.esuYears) {
          e.esuYears.forEach((y, k) => {
            if (!validDate(y)) problems.push(`${at}.lifecycle[${j}].esuYears[${k}]: "${y}" is not a real date`);
            else if (y <= (k === 0 ? e.end : e.esuYears![k - 1])) problems.push(`${at}.lifecycle[${j}].esuYears[${k}]: not after ${k === 0 ? 'end' : 'the year before'}`);
          });
          if (e.esuYears[e.esuYears.length - 1] !== e.esuEnd) problems.push(`${at}.lifecycle[${j}].esuYears: the last year must end on esuEnd (${e.esuEnd ?? 'missing'})`);
        }
      });
    }
    if (rule.kind === 'patch') {
      if (rule.published && !validDate(rule.published.date)) problems.push(`${at}.published.date: "${rule.published.date}" is not a real date`);
      rule.targets.forEach((t, j) => {
        if (t.rollups && !families.has(t.rollups.family)) problems.push(`${at}.targets[${j}].rollups.family: unknown catalog family "${t.rollups.family}" (known: ${[...families.keys()].join(', ')})`);
      });
    }
  }
  return problems;
}
