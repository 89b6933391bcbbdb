'use strict';
// db.listen(): node-postgres in the same process reaches the same database through the wire.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const pg = require('pg');
const { Database } = require('..');

test('node-postgres connects to db.listen() and sees the same rows', async () => {
  const db = await Database.open(':memory:');
  await db.query('CREATE TABLE notes (id serial PRIMARY KEY, body text, at timestamptz DEFAULT now())');
  await db.query('INSERT INTO notes (body) VALUES ($1), ($2)', ['from the addon', 'second']);
  const server = await db.listen({ port: 0, auth: 'scram-sha-256', users: { app: 's3cret' } });
  assert.ok(server.port > 0);
  assert.equal(server.host, '127.0.0.1');

  const client = new pg.Client({ host: '127.0.0.1', port: server.port, user: 'app', password: 's3cret',
                                 database: 'notes' });
  await client.connect();
  const viaWire = await client.query('SELECT id, body, at FROM notes ORDER BY id');
  const inProcess = await db.query('SELECT id, body, at FROM notes ORDER BY id');
  // Same rows, same JavaScript values, same field descriptions.
  assert.deepEqual(viaWire.rows, inProcess.rows);
  assert.deepEqual(viaWire.fields.map((f) => [f.name, f.dataTypeID, f.dataTypeSize, f.dataTypeModifier]),
                   inProcess.fields.map((f) => [f.name, f.dataTypeID, f.dataTypeSize, f.dataTypeModifier]));
  assert.equal(viaWire.command, inProcess.command);
  assert.equal(viaWire.rowCount, inProcess.rowCount);

  // Writes go both ways.
  await client.query('INSERT INTO notes (body) VALUES ($1)', ['from node-postgres']);
  const { rows } = await db.query('SELECT body FROM notes WHERE id = 3');
  assert.deepEqual(rows, [{ body: 'from node-postgres' }]);
  // The same error codes.
  await assert.rejects(client.query('SELECT * FROM nowhere'), { code: '42P01', position: '15' });
  await assert.rejects(db.query('SELECT * FROM nowhere'), { code: '42P01', position: '15' });

  // Every type node-postgres parses comes out the same both ways.
  const typed = `SELECT true AS b, 2::int2 AS i2, 3::int4 AS i4, 4::int8 AS i8, 1.5::float8 AS f,
                 9.99::numeric AS n, '\\x0102'::bytea AS bin, '{"k": 1}'::jsonb AS jb, '[1]'::json AS j,
                 '2024-01-02 03:04:05+00'::timestamptz AS tz, '2024-01-02 03:04:05'::timestamp AS ts,
                 '2024-01-02'::date AS d, '1 day 02:00:00'::interval AS iv, NULL::text AS nothing`;
  const [a, b] = [await client.query(typed), await db.query(typed)];
  assert.deepEqual(Object.keys(a.rows[0]), Object.keys(b.rows[0]));
  for (const k of Object.keys(a.rows[0])) {
    if (k === 'iv') assert.deepEqual({ ...a.rows[0][k] }, { ...b.rows[0][k] });
    else assert.deepEqual(a.rows[0][k], b.rows[0][k], k);
  }

  // A wrong password is refused.
  const intruder = new pg.Client({ host: '127.0.0.1', port: server.port, user: 'app', password: 'nope',
                                   database: 'notes' });
  await assert.rejects(intruder.connect(), { code: '28P01' });

  await client.end();
  await server.close();
  await db.close();
});

test('closing the database stops its listeners', async () => {
  const db = await Database.open(':memory:');
  const server = await db.listen({ port: 0 });
  const client = new pg.Client({ host: '127.0.0.1', port: server.port, user: 'postgres', database: 'x' });
  await client.connect();
  assert.deepEqual((await client.query('SELECT 1 AS one')).rows, [{ one: 1 }]);
  client.on('error', () => {});
  await db.close();
  const again = new pg.Client({ host: '127.0.0.1', port: server.port, user: 'postgres', database: 'x' });
  await assert.rejects(again.connect(), { code: 'ECONNREFUSED' });
});
