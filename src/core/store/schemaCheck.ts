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

/**
 * Every object outside SQLite's own, keyed "table audit_log", with its columns, keys and indexes as SQLite parsed
 * them. Four joined queries over the pragma table functions, so the check costs about as much as one small read.
 */
function describeSchema(sql: Sql): SchemaShape {
  const own = "m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'";
  const parts = new Map<string, string[]>();
  const add = (key: string, part: string): void => {
    const list = parts.get(key);
    if (list) list.push(part);
    else parts.set(key, [part]);
  };
  for (const o of sql.all(`SELECT m.type, m.name, m.tbl_name FROM sqlite_master m WHERE ${own} ORDER BY m.type, m.name`)) {
    const type = text(o.type);
    parts.set(`${type} ${text(o.name)}`, type === 'table' ? [] : [`on ${text(o.tbl_name)}`]);
  }
  for (const c of sql.all(`SELECT m.name AS t, p.name, p.type, p."notnull" AS nn, p.dflt_value, p.pk FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND ${own} ORDER BY m.name, p.cid`)) {
    add(`table ${text(c.t)}`, `column ${text(c.name)} ${text(c.type)}${c.nn ? ' NOT NULL' : ''}${c.dflt_value === null ? '' : ` DEFAULT ${text(c.dflt_value)}`}${c.pk ? ` PK${text(c.pk)}` : ''}`);
  }
  for (const k of sql.all(`SELECT m.name AS t, k."table" AS target, k."from" AS source, k."to" AS dest, k.on_update, k.on_delete FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) k WHERE m.type = 'table' AND ${own} ORDER BY m.name, k.id, k.seq`)) {
    add(`table ${text(k.t)}`, `reference ${text(k.source)} → ${text(k.target)}(${text(k.dest)}) ${text(k.on_update)}/${text(k.on_delete)}`);
  }
  // Every index with its columns; those SQLite makes for PRIMARY KEY and UNIQUE belong to their table's description.
  const indexes = sql.all(
    `SELECT m.name AS t, i.name AS i, i."unique" AS u, i.partial, i.origin, x.name AS c, x."desc" AS d, x.coll FROM sqlite_master m
       JOIN pragma_index_list(m.name) i JOIN pragma_index_xinfo(i.name) x
     WHERE m.type = 'table' AND ${own} AND x.key = 1 ORDER BY m.name, i.name, x.seqno`,
  );
  const described = new Map<string, { table: string; origin: string; head: string; columns: string[] }>();
  for (const row of indexes) {
    const name = text(row.i);
    let index = described.get(name);
    if (!index) {
      index = { table: text(row.t), origin: text(row.origin), head: `${row.u ? 'unique ' : ''}${row.partial ? 'partial ' : ''}`, columns: [] };
      described.set(name, index);
    }
    index.columns.push(`${text(row.c)}${row.d ? ' DESC' : ''} ${text(row.coll)}`);
  }
  for (const [name, index] of described) {
    const shape = `${index.head}(${index.columns.join(', ')})`;
    if (index.origin === 'c') add(`index ${name}`, shape);
    else add(`table ${index.table}`, `constraint ${shape}`);
  }
  for (const t of sql.all(`SELECT m.name AS t FROM sqlite_master m JOIN pragma_table_list(m.name) l WHERE m.type = 'table' AND ${own} AND l.wr = 1`)) {
    add(`table ${text(t.t)}`, 'WITHOUT ROWID');
  }
  return new Map([...parts].map(([key, list]) => [key, list.join(', ')]));
}

function firstDifference(expected: string, found: string): string {
  const want = expected.split(', ');
  const got = found.split(', ');
  const missing = want.filter((part) => !got.includes(part));
  const extra = got.filter((part) => !want.includes(part));
  const words = [...missing.map((part) => `expected ${part}`), ...extra.map((part) => `found ${part}`)];
  return words.length > 0 ? words.slice(0, 2).join(', ') : 'order of columns';
}
