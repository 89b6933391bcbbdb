'use strict';
// The Node addon against better-sqlite3 on the same work, in one run (npm run bench).
// Both use a database file in a temporary directory with their default durability (HeliosDB:
// fsync per commit; SQLite: synchronous=FULL, rollback journal). Prints a table of the median of
// REPEAT runs in milliseconds and the ratio HeliosDB / SQLite (lower is better for HeliosDB).
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const Sqlite = require('better-sqlite3');
const { Database } = require('..');

const ROWS = Number(process.env.ROWS || 10000);
const SELECTS = Number(process.env.SELECTS || 100000);
const REPEAT = Number(process.env.REPEAT || 3);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const now = () => Number(process.hrtime.bigint()) / 1e6;
const ids = Array.from({ length: SELECTS }, (_, i) => (i * 7919) % ROWS + 1);

async function time(fn) {
  const t = now();
  await fn();
  return now() - t;
}

async function heliosCases(dir) {
  const db = await Database.open(path.join(dir, 'helios'), { poolSize: 2 });
  await db.query('CREATE TABLE kv (id int PRIMARY KEY, v text NOT NULL)');
  const insert = await db.prepare('INSERT INTO kv VALUES ($1, $2)');
  const select = await db.prepare('SELECT v FROM kv WHERE id = $1');
  let round = 0;
  const out = {};
  out.insert = await time(() => db.transaction(async (tx) => {
    const base = round++ * ROWS;
    for (let i = 1; i <= ROWS; i++) await tx.query(insert, [base + i, `value ${i}`]);
  }));
  // The same inserts issued together, each still its own statement: they run back to back.
  out.insertPipelined = await time(() => db.transaction(async (tx) => {
    const base = round++ * ROWS;
    const pending = [];
    for (let i = 1; i <= ROWS; i++) pending.push(tx.query(insert, [base + i, `value ${i}`]));
    await Promise.all(pending);
  }));
  out.select = await time(async () => {
    for (const id of ids) {
      const { rows } = await select.query([id]);
      if (rows.length !== 1) throw new Error('missing row');
    }
  });
  // The same selects with 64 in flight: what a server handling requests does.
  out.selectConcurrent = await time(async () => {
    let next = 0;
    const worker = async () => {
      while (next < ids.length) {
        const { rows } = await select.query([ids[next++]]);
        if (rows.length !== 1) throw new Error('missing row');
      }
    };
    await Promise.all(Array.from({ length: 64 }, worker));
  });
  await db.close();
  return out;
}

function sqliteCases(dir) {
  const db = new Sqlite(path.join(dir, 'sqlite.db'));
  db.exec('CREATE TABLE kv (id integer PRIMARY KEY, v text NOT NULL)');
  const insert = db.prepare('INSERT INTO kv VALUES (?, ?)');
  const select = db.prepare('SELECT v FROM kv WHERE id = ?');
  const out = {};
  let t = now();
  db.transaction(() => {
    for (let i = 1; i <= ROWS; i++) insert.run(i, `value ${i}`);
  })();
  out.insert = now() - t;
  t = now();
  for (const id of ids) {
    if (!select.get(id)) throw new Error('missing row');
  }
  out.select = now() - t;
  db.close();
  return out;
}

async function main() {
  const results = { helios: [], sqlite: [] };
  for (let r = 0; r < REPEAT; r++) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heliosdb-bench-'));
    results.helios.push(await heliosCases(dir));
    results.sqlite.push(sqliteCases(dir));
    fs.rmSync(dir, { recursive: true });
  }
  const med = (who, k) => median(results[who].map((x) => x[k]));
  const rows = [
    [`${ROWS}-row insert, one transaction, prepared, each awaited`, med('helios', 'insert'), med('sqlite', 'insert')],
    [`${ROWS}-row insert, one transaction, issued together`, med('helios', 'insertPipelined'), med('sqlite', 'insert')],
    [`${SELECTS} point selects by primary key, one at a time`, med('helios', 'select'), med('sqlite', 'select')],
    [`${SELECTS} point selects, 64 in flight`, med('helios', 'selectConcurrent'), med('sqlite', 'select')],
  ];
  console.log(`Node ${process.version}, median of ${REPEAT} (ms)\n`);
  console.log('| case | heliosdb-nano | better-sqlite3 | ratio |');
  console.log('|---|---|---|---|');
  for (const [name, h, s] of rows) console.log(`| ${name} | ${h.toFixed(1)} | ${s.toFixed(1)} | ${(h / s).toFixed(2)} |`);
}

main().catch((e) => { console.error(e); process.exit(1); });
