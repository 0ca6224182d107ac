import type { SqlJsStatic } from 'sql.js';
import { migrate } from './migrations';
import { Sql, text } from './sql';

/** One schema object (table, index, view, trigger) described by what SQLite made of its definition. */
type SchemaShape = ReadonlyMap<string, string>;

const expectedByVersion = new Map<number, SchemaShape>();

/**
 * Compares a file's schema with the one the migrations build at the same version: a flipped byte in the stored
 * text of a definition passes `PRAGMA integrity_check` but breaks every later write, so it counts as damage.
 * Returns what differs, in words, or undefined when the two agree.
 */
export function describeSchemaMismatch(SQL: SqlJsStatic, sql: Sql, version: number): string | undefined {
  const expected = expectedSchema(SQL, version);
  const actual = describeSchema(sql);
  const problems: string[] = [];
  for (const [name, shape] of expected) {
    const found = actual.get(name);
    if (found === undefined) problems.push(`${name} is missing`);
    else if (found !== shape) problems.push(`${name} differs (${firstDifference(shape, found)})`);
  }
  for (const name of actual.keys()) if (!expected.has(name)) problems.push(`${name} is not part of it`);
  if (problems.length === 0) return undefined;
  const shown = problems.slice(0, 3).join('; ');
  const more = problems.length > 3 ? ` and ${String(problems.length - 3)} more` : '';
  return `the schema does not match what version ${String(version)} of the migrations built: ${shown}${more}`;
}

function expectedSchema(SQL: SqlJsStatic, version: number): SchemaShape {
  const cached = expectedByVersion.get(version);
  if (cached) return cached;
  const db = new SQL.Database();
  try {
    const sql = new Sql(db);
    if (version > 0) migrate(sql, '1970-01-01T00:00:00.000Z', version);
    const shape = describeSchema(sql);
    expectedByVersion.set(version, shape);
    return shape;
  } finally {
    db.close();
  }
}

/** Every object outside SQLite's own, keyed "table audit_log", with its columns, keys and indexes as SQLite parsed them. */
function describeSchema(sql: Sql): SchemaShape {
  const shape = new Map<string, string>();
  const objects = sql.all("SELECT type, name, tbl_name FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY type, name");
  for (const object of objects) {
    const type = text(object.type);
    const name = text(object.name);
    const key = `${type} ${name}`;
    if (type === 'table') shape.set(key, describeTable(sql, name));
    else if (type === 'index') shape.set(key, `on ${text(object.tbl_name)}: ${describeIndex(sql, name)}`);
    else shape.set(key, `on ${text(object.tbl_name)}`);
  }
  return shape;
}

function describeTable(sql: Sql, name: string): string {
  const columns = sql
    .all('SELECT name, type, "notnull" AS nn, dflt_value, pk FROM pragma_table_info(?) ORDER BY cid', [name])
    .map((c) => `column ${text(c.name)} ${text(c.type)}${c.nn ? ' NOT NULL' : ''}${c.dflt_value === null ? '' : ` DEFAULT ${text(c.dflt_value)}`}${c.pk ? ` PK${text(c.pk)}` : ''}`);
  const keys = sql
    .all('SELECT "table" AS target, "from" AS source, "to" AS dest, on_update, on_delete FROM pragma_foreign_key_list(?) ORDER BY id, seq', [name])
    .map((k) => `reference ${text(k.source)} → ${text(k.target)}(${text(k.dest)}) ${text(k.on_update)}/${text(k.on_delete)}`);
  // Indexes SQLite makes for PRIMARY KEY and UNIQUE constraints have no definition of their own: describe them here.
  const implicit = sql
    .all("SELECT name FROM pragma_index_list(?) WHERE origin <> 'c' ORDER BY name", [name])
    .map((i) => `constraint ${describeIndex(sql, text(i.name))}`);
  const withoutRowid = sql.get('SELECT wr FROM pragma_table_list(?)', [name])?.wr ? ['WITHOUT ROWID'] : [];
  return [...columns, ...keys, ...implicit, ...withoutRowid].join(', ');
}

function describeIndex(sql: Sql, name: string): string {
  const list = sql.all('SELECT "unique" AS u, partial FROM pragma_index_list((SELECT tbl_name FROM sqlite_master WHERE name = ?)) WHERE name = ?', [name, name])[0];
  const columns = sql
    .all('SELECT name, "desc" AS d, coll FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno', [name])
    .map((c) => `${text(c.name)}${c.d ? ' DESC' : ''} ${text(c.coll)}`);
  return `${list?.u ? 'unique ' : ''}${list?.partial ? 'partial ' : ''}(${columns.join(', ')})`;
}

function firstDifference(expected: string, found: string): string {
  const want = expected.split(', ');
  const got = found.split(', ');
  const missing = want.filter((part) => !got.includes(part));
  const extra = got.filter((part) => !want.includes(part));
  const words = [...missing.map((part) => `expected ${part}`), ...extra.map((part) => `found ${part}`)];
  return words.length > 0 ? words.slice(0, 2).join(', ') : 'order of columns';
}
