'use strict';
// The Node addon end to end: node --test (CTest runs it with TZ=UTC and HELIOSDB_NODE_ADDON set).
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Database, Statement } = require('..');

let db;
before(async () => { db = await Database.open(':memory:'); });
after(async () => { await db.close(); });

test('every type maps as node-postgres maps it', async () => {
  const { rows, fields, command, rowCount } = await db.query(`SELECT
      true AS b, 32767::int2 AS i2, 42::int4 AS i4, 9007199254740993::int8 AS i8, 4294967295::oid AS o,
      1.5::float4 AS f4, 0.1::float8 AS f8, 'NaN'::float8 AS nan, 12.50::numeric AS n,
      'héllo'::text AS t, 'ab'::varchar(5) AS vc, 'x'::char(3) AS c, 'nm'::name AS nm,
      '\\x00ff10'::bytea AS bin, '{"a": [1, 2, {"b": null}]}'::jsonb AS jb, '[1, "x"]'::json AS j,
      '2024-01-02 03:04:05.678+00'::timestamptz AS tstz, '2024-01-02 03:04:05.678'::timestamp AS ts,
      '2024-02-29'::date AS d, '13:14:15'::time AS tm,
      '1 year 2 mons 3 days 04:05:06.5'::interval AS iv,
      'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid AS u, NULL::int4 AS nothing,
      'infinity'::timestamptz AS inf`);
  assert.equal(command, 'SELECT');
  assert.equal(rowCount, 1);
  const r = rows[0];
  assert.equal(r.b, true);
  assert.equal(r.i2, 32767);
  assert.equal(r.i4, 42);
  assert.equal(r.i8, '9007199254740993');  // int8 as string by default
  assert.equal(r.o, 4294967295);
  assert.equal(r.f4, 1.5);
  assert.equal(r.f8, 0.1);
  assert.ok(Number.isNaN(r.nan));
  assert.equal(r.n, '12.50');             // numeric as string
  assert.equal(r.t, 'héllo');
  assert.equal(r.vc, 'ab');
  assert.equal(r.c, 'x  ');
  assert.equal(r.nm, 'nm');
  assert.ok(Buffer.isBuffer(r.bin));
  assert.deepEqual([...r.bin], [0, 255, 16]);
  assert.deepEqual(r.jb, { a: [1, 2, { b: null }] });
  assert.deepEqual(r.j, [1, 'x']);
  assert.ok(r.tstz instanceof Date);
  assert.equal(r.tstz.toISOString(), '2024-01-02T03:04:05.678Z');
  assert.ok(r.ts instanceof Date);
  assert.equal(r.ts.getTime(), new Date(2024, 0, 2, 3, 4, 5, 678).getTime());  // local time
  assert.equal(r.d.getTime(), new Date(2024, 1, 29).getTime());
  assert.equal(r.tm, '13:14:15');
  assert.deepEqual(r.iv, { years: 1, months: 2, days: 3, hours: 4, minutes: 5, seconds: 6, milliseconds: 500 });
  assert.equal(r.u, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11');
  assert.equal(r.nothing, null);
  assert.equal(r.inf, Infinity);
  assert.deepEqual(fields.map((f) => [f.name, f.dataTypeID]), [
    ['b', 16], ['i2', 21], ['i4', 23], ['i8', 20], ['o', 26], ['f4', 700], ['f8', 701], ['nan', 701],
    ['n', 1700], ['t', 25], ['vc', 1043], ['c', 1042], ['nm', 19], ['bin', 17], ['jb', 3802], ['j', 114],
    ['tstz', 1184], ['ts', 1114], ['d', 1082], ['tm', 1083], ['iv', 1186], ['u', 2950], ['nothing', 23],
    ['inf', 1184]]);
  assert.equal(fields[4].dataTypeSize, 4);
  assert.equal(fields[10].dataTypeModifier, 9);  // varchar(5): 5 + 4, as PostgreSQL reports it
});

test('int8 as BigInt when asked', async () => {
  const big = await Database.open(':memory:', { bigint: true });
  const { rows } = await big.query('SELECT 9007199254740993::int8 AS v, 1::int4 AS small');
  assert.equal(rows[0].v, 9007199254740993n);
  assert.equal(rows[0].small, 1);
  const again = await db.query('SELECT 5::int8 AS v', [], { bigint: true });
  assert.equal(again.rows[0].v, 5n);
  await big.close();
});

test('rowMode array', async () => {
  const { rows } = await db.query('SELECT 1 AS a, 2 AS a', [], { rowMode: 'array' });
  assert.deepEqual(rows, [[1, 2]]);
});

test('parameters: JavaScript values become what node-postgres sends', async () => {
  await db.query(`CREATE TABLE params (id serial PRIMARY KEY, t text, n int, f float8, b bool, j jsonb,
                  bin bytea, ts timestamptz, big int8, num numeric)`);
  const when = new Date('2024-05-06T07:08:09.123Z');
  const r = await db.query(`INSERT INTO params (t, n, f, b, j, bin, ts, big, num)
                            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
                           ['it\'s', 7, 2.25, false, { k: ['v', 1] }, Buffer.from([1, 2, 3]), when,
                            12345678901234n, '3.14159']);
  assert.equal(r.command, 'INSERT');
  assert.equal(r.rowCount, 1);
  const row = r.rows[0];
  assert.equal(row.t, 'it\'s');
  assert.equal(row.n, 7);
  assert.equal(row.f, 2.25);
  assert.equal(row.b, false);
  assert.deepEqual(row.j, { k: ['v', 1] });
  assert.deepEqual([...row.bin], [1, 2, 3]);
  assert.equal(row.ts.getTime(), when.getTime());
  assert.equal(row.big, '12345678901234');
  assert.equal(row.num, '3.14159');
  const nulls = await db.query('INSERT INTO params (t, n) VALUES ($1, $2) RETURNING t, n', [null, undefined]);
  assert.deepEqual(nulls.rows, [{ t: null, n: null }]);
  const sel = await db.query('SELECT count(*)::int AS c FROM params WHERE n = $1 OR t = $2', [7, 'nobody']);
  assert.deepEqual(sel.rows, [{ c: 1 }]);
});

test('errors carry SQLSTATE, detail and position', async () => {
  await db.query('CREATE TABLE uniq (k text PRIMARY KEY)');
  await db.query('INSERT INTO uniq VALUES ($1)', ['a']);
  await assert.rejects(db.query('INSERT INTO uniq VALUES ($1)', ['a']), (e) => {
    assert.ok(e instanceof Error);
    assert.equal(e.code, '23505');
    assert.equal(e.message, 'duplicate key value violates unique constraint "uniq_pkey"');
    assert.equal(e.detail, 'Key (k)=(a) already exists.');
    assert.equal(e.severity, 'ERROR');
    return true;
  });
  await assert.rejects(db.query('SELECT * FROM missing_table'), { code: '42P01', position: '15' });
  await assert.rejects(db.query('SELEC 1'), { code: '42601', message: 'syntax error at or near "SELEC"' });
  await assert.rejects(db.query('SELECT $1::int', ['x']), { code: '22P02' });
  await assert.rejects(db.query('SELECT 1', 'not an array'), TypeError);
});

test('a transaction that throws rolls back; one that returns commits', async () => {
  await db.query('CREATE TABLE accounts (id int PRIMARY KEY, balance int NOT NULL)');
  await db.query('INSERT INTO accounts VALUES (1, 100), (2, 0)');
  await assert.rejects(db.transaction(async (tx) => {
    await tx.query('UPDATE accounts SET balance = balance - 50 WHERE id = 1');
    await tx.query('UPDATE accounts SET balance = balance + 50 WHERE id = 2');
    throw new Error('changed my mind');
  }), /changed my mind/);
  let { rows } = await db.query('SELECT id, balance FROM accounts ORDER BY id');
  assert.deepEqual(rows, [{ id: 1, balance: 100 }, { id: 2, balance: 0 }]);

  const value = await db.transaction(async (tx) => {
    await tx.query('UPDATE accounts SET balance = balance - $1 WHERE id = 1', [30]);
    await tx.query('UPDATE accounts SET balance = balance + $1 WHERE id = 2', [30]);
    // Inside the transaction its own writes are visible; outside they are not yet.
    const inside = await tx.query('SELECT balance FROM accounts WHERE id = 2');
    const outside = await db.query('SELECT balance FROM accounts WHERE id = 2');
    return [inside.rows[0].balance, outside.rows[0].balance];
  });
  assert.deepEqual(value, [30, 0]);
  ({ rows } = await db.query('SELECT id, balance FROM accounts ORDER BY id'));
  assert.deepEqual(rows, [{ id: 1, balance: 70 }, { id: 2, balance: 30 }]);

  // A failed statement the callback swallows still rolls the transaction back.
  await assert.rejects(db.transaction(async (tx) => {
    await tx.query('UPDATE accounts SET balance = 0 WHERE id = 1');
    await tx.query('SELECT 1/0').catch(() => {});
  }), { code: '25P02' });
  ({ rows } = await db.query('SELECT balance FROM accounts WHERE id = 1'));
  assert.equal(rows[0].balance, 70);

  // BEGIN through db.query is refused rather than leaking into the pool.
  await assert.rejects(db.query('BEGIN'), { code: '25000' });
  assert.equal((await db.query('SELECT 1 AS one')).rows[0].one, 1);
});

test('prepared statements', async () => {
  await db.query('CREATE TABLE prep (id int PRIMARY KEY, v text)');
  const insert = await db.prepare('INSERT INTO prep VALUES ($1, $2)');
  assert.ok(insert instanceof Statement);
  assert.deepEqual(insert.paramTypes, [23, 25]);
  for (let i = 0; i < 50; i++) await insert.query([i, `v${i}`]);
  const select = await db.prepare('SELECT v FROM prep WHERE id = $1');
  assert.deepEqual((await select.query([42])).rows, [{ v: 'v42' }]);
  const viaQuery = await db.query(select, [7]);
  assert.deepEqual(viaQuery.rows, [{ v: 'v7' }]);
  const inTx = await db.transaction(async (tx) => {
    await tx.query(insert, [100, 'tx']);
    return (await tx.query(select, [100])).rows;
  });
  assert.deepEqual(inTx, [{ v: 'tx' }]);
  await assert.rejects(db.prepare('SELECT * FROM nowhere'), { code: '42P01' });
});

test('10 concurrent queries', async () => {
  await db.query('CREATE TABLE conc (id int PRIMARY KEY, v int)');
  const writes = Array.from({ length: 10 }, (_, i) => db.query('INSERT INTO conc VALUES ($1, $2)', [i, i * i]));
  const results = await Promise.all(writes);
  assert.ok(results.every((r) => r.rowCount === 1));
  const reads = await Promise.all(Array.from({ length: 10 }, (_, i) =>
    db.query('SELECT v FROM conc WHERE id = $1', [i])));
  assert.deepEqual(reads.map((r) => r.rows[0].v), Array.from({ length: 10 }, (_, i) => i * i));
  // Queries run off the event loop: a timer fires while a long query runs.
  let ticks = 0;
  const timer = setInterval(() => { ticks++; }, 1);
  await db.query('SELECT count(*) FROM generate_series(1, 3000000)');
  clearInterval(timer);
  assert.ok(ticks > 0, 'the event loop was blocked');
});

test('a large result', async () => {
  const { rows, rowCount } = await db.query(
    "SELECT g AS id, 'row ' || g AS label FROM generate_series(1, 200000) g");
  assert.equal(rowCount, 200000);
  assert.equal(rows.length, 200000);
  assert.deepEqual(rows[199999], { id: 200000, label: 'row 200000' });
});

test('open and close a file database many times: no leaked handles, data kept', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heliosdb-node-'));
  const file = path.join(dir, 'db');
  const fds = () => fs.readdirSync('/proc/self/fd').length;
  let first = null;
  let rss = 0;
  for (let i = 0; i < 100; i++) {
    const d = await Database.open(file);
    if (i === 0) await d.query('CREATE TABLE n (i int)');
    await d.query('INSERT INTO n VALUES ($1)', [i]);
    await Promise.all([d.query('SELECT 1'), d.query('SELECT 2')]);
    await d.close();
    if (i === 9) {
      first = fds();
      rss = process.memoryUsage().rss;
    }
  }
  assert.equal(fds(), first, 'file descriptors leaked');
  assert.ok(process.memoryUsage().rss - rss < 64 * 1024 * 1024, 'memory grew by more than 64 MiB');
  const d = await Database.open(file);
  assert.deepEqual((await d.query('SELECT count(*)::int AS c FROM n')).rows, [{ c: 100 }]);
  // The directory is locked while open, by this process too.
  await assert.rejects(Database.open(file), { code: '55006' });
  await d.close();
  await assert.rejects(d.query('SELECT 1'), { code: '08003' });
  await d.close();  // closing twice is harmless
  fs.rmSync(dir, { recursive: true });
});

test('bad options are errors', async () => {
  await assert.rejects(Database.open(':memory:', { noSuchOption: 1 }),
                       { code: '22023', message: 'unrecognized option "no_such_option"' });
  await assert.rejects(db.listen({ auth: 'kerberos' }), { code: '22023' });
});
