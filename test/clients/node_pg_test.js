// node-postgres (pg, pg-cursor) against the server named by the PG* variables: text results, parameters, a rolled-back transaction, a unique violation and 10,000 rows through a
// cursor (Execute with a row limit, PortalSuspended).
process.env.TZ = 'UTC';
const path = require('path');
const { Client } = require(path.join(__dirname, 'node', 'node_modules', 'pg'));
const Cursor = require(path.join(__dirname, 'node', 'node_modules', 'pg-cursor'));

const failures = [];
function expect(what, got, want) {
  const g = JSON.stringify(got), w = JSON.stringify(want);
  if (g !== w) failures.push(`${what}: got ${g}, want ${w}`);
}
async function expectSqlstate(what, promise, code) {
  try {
    await promise;
    failures.push(`${what}: no error, want SQLSTATE ${code}`);
  } catch (e) {
    expect(`${what} sqlstate`, e.code, code);
  }
}

const columns = ['id', 'b', 'i2', 'i4', 'i8', 'f4', 'f8', 'n', 't', 'vc', 'c', 'by', 'd', 'tm', 'ts', 'tz', 'iv', 'u', 'j', 'jb'];
const ddl = `CREATE TABLE every_type (
  id integer PRIMARY KEY, b boolean, i2 smallint, i4 integer, i8 bigint, f4 real, f8 double precision,
  n numeric(12,3), t text, vc varchar(10), c char(4), by bytea, d date, tm time, ts timestamp,
  tz timestamptz, iv interval, u uuid, j json, jb jsonb)`;
const params = [1, true, -32768, 2147483647, '-9223372036854775808', 1.5, 0.1, '12345.678',
  "h\u00e9llo \u2603 'quoted' \\ back", 'var', 'ab', Buffer.from([0, 1, 0xfe, 0xff]), '2024-02-29',
  '23:59:59.123456', '2000-01-01 00:00:00.000001', new Date(Date.UTC(2024, 5, 1, 12, 0, 0)),
  '3 days 04:05:06', '12345678-1234-5678-1234-567812345678', JSON.stringify({ a: [1, 2, { b: null }] }),
  JSON.stringify({ k: 'v', n: 1.25 })];

async function main() {
  const client = new Client();
  await client.connect();
  let r = await client.query('SELECT version()');
  expect('version()', r.rows[0].version.startsWith('PostgreSQL 15.'), true);
  await client.query('DROP TABLE IF EXISTS every_type');
  await client.query(ddl);
  const placeholders = params.map((_, i) => `$${i + 1}`).join(', ');
  r = await client.query(`INSERT INTO every_type (${columns.join(', ')}) VALUES (${placeholders})`, params);
  expect('insert rowCount', r.rowCount, 1);
  expect('insert command', r.command, 'INSERT');

  r = await client.query(`SELECT ${columns.join(', ')} FROM every_type WHERE id = $1`, [1]);
  const row = r.rows[0];
  expect('text values', {
    ...row, by: [...row.by], d: row.d.toISOString(), ts: row.ts.toISOString(), tz: row.tz.toISOString(),
    iv: row.iv.toPostgres(),
  }, {
    id: 1, b: true, i2: -32768, i4: 2147483647, i8: '-9223372036854775808', f4: 1.5, f8: 0.1, n: '12345.678',
    t: "h\u00e9llo \u2603 'quoted' \\ back", vc: 'var', c: 'ab  ', by: [0, 1, 254, 255], d: '2024-02-29T00:00:00.000Z',
    tm: '23:59:59.123456', ts: '2000-01-01T00:00:00.000Z', tz: '2024-06-01T12:00:00.000Z', iv: '6 seconds 5 minutes 4 hours 3 days',
    u: '12345678-1234-5678-1234-567812345678', j: { a: [1, 2, { b: null }] }, jb: { k: 'v', n: 1.25 },
  });
  expect('field type OIDs', r.fields.map((f) => f.dataTypeID),
    [23, 16, 21, 23, 20, 700, 701, 1700, 25, 1043, 1042, 17, 1082, 1083, 1114, 1184, 1186, 2950, 114, 3802]);

  // node-postgres reads every DataRow field as a UTF-8 string, so its binary mode is lossy
  // against PostgreSQL too; binary results are covered by the psycopg 3 and pgjdbc tests.

  // A transaction that rolls back.
  await client.query('BEGIN');
  await client.query('INSERT INTO every_type (id) VALUES ($1)', [10]);
  await client.query('ROLLBACK');
  r = await client.query('SELECT count(*) AS n FROM every_type');
  expect('rollback', r.rows[0].n, '1');

  await expectSqlstate('unique violation', client.query('INSERT INTO every_type (id) VALUES ($1)', [1]), '23505');
  await expectSqlstate('invalid input', client.query('SELECT $1::int', ['x']), '22P02');
  await client.query('BEGIN');
  await expectSqlstate('error in transaction', client.query('SELECT 1/0'), '22012');
  await expectSqlstate('aborted transaction', client.query('SELECT 1'), '25P02');
  await client.query('ROLLBACK');

  // 10,000 rows through pg-cursor, 1,000 per Execute.
  await client.query('DROP TABLE IF EXISTS many');
  await client.query('CREATE TABLE many (id int PRIMARY KEY, v text)');
  for (let start = 0; start < 10000; start += 1000) {
    const values = [];
    const args = [];
    for (let i = start; i < start + 1000; i++) {
      values.push(`($${args.length + 1}, $${args.length + 2})`);
      args.push(i, `row ${i}`);
    }
    await client.query(`INSERT INTO many VALUES ${values.join(', ')}`, args);
  }
  await client.query('BEGIN');
  const cursor = client.query(new Cursor('SELECT id, v FROM many WHERE id >= $1 ORDER BY id', [0]));
  let n = 0, batches = 0;
  for (;;) {
    const rows = await cursor.read(1000);
    if (rows.length === 0) break;
    batches++;
    for (const x of rows) {
      if (x.id !== n || x.v !== `row ${n}`) failures.push(`cursor row ${n}: ${JSON.stringify(x)}`);
      n++;
    }
  }
  await cursor.close();
  await client.query('COMMIT');
  expect('rows through the cursor', n, 10000);
  expect('cursor batches', batches, 10);
  await client.end();
}

main().then(() => {
  for (const f of failures) console.log(`FAIL ${f}`);
  console.log(`node-postgres: ${failures.length ? 'FAILED' : 'ok'} (${failures.length} failures)`);
  process.exit(failures.length ? 1 : 0);
}, (e) => {
  console.log(`node-postgres: FAILED: ${e.stack}`);
  process.exit(1);
});
