'use strict';
// HeliosDB Nano for Node.js and Electron. Every call returns a Promise; the database work runs
// on libuv's worker threads, never on the event loop. Results look like node-postgres's.
//
//   const { Database } = require('heliosdb-nano');
//   const db = await Database.open(path.join(app.getPath('userData'), 'app-db'));
//   const { rows } = await db.query('SELECT * FROM notes WHERE id = $1', [id]);
const path = require('node:path');

const native = require(process.env.HELIOSDB_NODE_ADDON ||
                       path.join(__dirname, '..', 'build', 'Release', 'heliosdb.node'));

native.setHelpers({
  // date and timestamp without time zone become local-time Dates, as node-postgres makes them.
  localDate(y, m, d, h, mi, s, ms) {
    const t = new Date(2000, 0, 1);
    t.setFullYear(y, m, d);
    t.setHours(h, mi, s, ms);
    return t;
  },
  jsonParse: JSON.parse,
});

const closedError = () => Object.assign(new Error('the database is closed'), { code: '08003' });

// ---- parameters: the text node-postgres would send for each JavaScript value ----

const pad = (n, width = 2) => String(n).padStart(width, '0');

function dateToString(date) {
  let offset = -date.getTimezoneOffset();
  let year = date.getFullYear();
  const bc = year < 1;
  if (bc) year = Math.abs(year) + 1;
  let s = `${pad(year, 4)}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:` +
          `${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
  if (offset < 0) {
    s += '-';
    offset = -offset;
  } else {
    s += '+';
  }
  s += `${pad(Math.floor(offset / 60))}:${pad(offset % 60)}`;
  return bc ? `${s} BC` : s;
}

function arrayLiteral(values) {
  const items = values.map((v) => {
    if (v === null || v === undefined) return 'NULL';
    if (Array.isArray(v)) return arrayLiteral(v);
    if (Buffer.isBuffer(v)) return `"\\\\x${v.toString('hex')}"`;
    const text = String(prepareValue(v));
    return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  });
  return `{${items.join(',')}}`;
}

function prepareValue(v) {
  if (v === null || v === undefined) return null;
  if (Buffer.isBuffer(v)) return v;
  if (ArrayBuffer.isView(v)) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  if (v instanceof Date) return dateToString(v);
  if (Array.isArray(v)) return arrayLiteral(v);
  if (typeof v === 'object') {
    if (typeof v.toPostgres === 'function') return prepareValue(v.toPostgres(prepareValue));
    return JSON.stringify(v);
  }
  return v.toString();
}

function prepareParams(params) {
  if (params == null) return [];
  if (!Array.isArray(params)) throw new TypeError('params must be an array');
  return params.map(prepareValue);
}

// camelCase option names to the engine's (syncCommit -> sync_commit) as [name, value] pairs.
const snake = (k) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
function optionPairs(options, skip) {
  const pairs = [];
  for (const [k, v] of Object.entries(options || {})) {
    if (v === undefined || skip.includes(k)) continue;
    pairs.push([snake(k), typeof v === 'boolean' ? (v ? 'on' : 'off') : String(v)]);
  }
  return pairs;
}

// ---- one engine session: its operations run in call order on the session's own thread ----

const QUERY = 0;
const EXECUTE = 1;  // as the session's prepared statement (prepared there on first use)
const PREPARE = 2;

class Connection {
  constructor(nativeSession, rowDefaults) {
    this.native = nativeSession;
    this.rowDefaults = rowDefaults;
  }

  run(query, params, options) {
    const rowOptions = options ? { ...this.rowDefaults, ...options } : this.rowDefaults;
    let values;
    try {
      values = prepareParams(params);
    } catch (e) {
      return Promise.reject(e);
    }
    if (query instanceof Statement) return this.native.run(EXECUTE, query.text, values, rowOptions);
    if (typeof query !== 'string') return Promise.reject(new TypeError('query must be SQL text or a Statement'));
    return this.native.run(QUERY, query, values, rowOptions);
  }

  prepare(text) { return this.native.run(PREPARE, text, [], this.rowDefaults); }
  status() { return this.native.status(); }
  close() { return this.native.close(); }
}

// A statement prepared once per session that runs it (see Database#prepare).
class Statement {
  #db;
  constructor(db, text, paramTypes) {
    this.#db = db;
    this.text = text;
    this.paramTypes = paramTypes;
  }
  query(params, options) { return this.#db.query(this, params, options); }
}

// What db.transaction's callback receives: queries run in the transaction, in order.
class Transaction {
  #conn;
  #open = true;
  constructor(conn) { this.#conn = conn; }
  query(query, params, options) {
    if (!this.#open) return Promise.reject(new Error('the transaction has ended'));
    return this.#conn.run(query, params, options);
  }
  _end() { this.#open = false; }
}

class Server {
  #native;
  constructor(nativeServer, host) {
    this.#native = nativeServer;
    this.host = host;
    this.port = nativeServer.port;
  }
  // Stops accepting, lets running statements finish, closes the connections.
  close() { return this.#native.close(); }
}

class Database {
  #native;
  #idle = [];
  #sessions = 0;
  #waiting = [];
  #active = 0;
  #drained = null;
  #closed = false;
  #servers = new Set();
  #poolSize;
  #rowDefaults;

  // Database.open(path | ':memory:', { syncCommit, cacheSize, timezone, datestyle,
  //   createIfMissing, bigint, poolSize })
  static async open(location, options = {}) {
    const engineOptions = optionPairs(options, ['bigint', 'poolSize']);
    const nativeDb = await native.Database.open(String(location), engineOptions);
    return new Database(nativeDb, options);
  }

  constructor(nativeDb, options) {
    this.#native = nativeDb;
    this.#poolSize = options.poolSize ?? 4;
    this.#rowDefaults = { bigint: !!options.bigint };
  }

  // Runs one statement (or, without params, several separated by ';') on a pooled session in
  // autocommit mode. Transaction blocks go through db.transaction().
  query(query, params, options) {
    return this.#withConnection(async (conn) => {
      try {
        return await conn.run(query, params, options);
      } finally {
        if (conn.status() !== 'I') {
          await conn.run('ROLLBACK');
          throw Object.assign(new Error('a transaction block was left open by db.query(); it was rolled back ' +
                                        '(use db.transaction() for transactions)'), { code: '25000' });
        }
      }
    });
  }

  // Parses and plans sql now (errors surface here); the Statement runs with .query(params).
  async prepare(text) {
    return this.#withConnection(async (conn) => new Statement(this, text, await conn.prepare(text)));
  }

  // Runs fn(tx) inside BEGIN ... COMMIT on one session; rolls back and rethrows if fn throws.
  transaction(fn) {
    return this.#withConnection(async (conn) => {
      await conn.run('BEGIN');
      const tx = new Transaction(conn);
      let value;
      try {
        value = await fn(tx);
      } catch (e) {
        tx._end();
        await conn.run('ROLLBACK');
        throw e;
      }
      tx._end();
      const failed = conn.status() === 'E';
      const done = await conn.run('COMMIT');
      if (failed || done.command === 'ROLLBACK') {
        throw Object.assign(new Error('the transaction was rolled back because a statement in it failed'),
                            { code: '25P02' });
      }
      return value;
    });
  }

  // Serves this database to PostgreSQL clients (psql, pgAdmin, node-postgres) from this process:
  // { host = '127.0.0.1', port = 0 (any free port), auth = 'trust' | 'password' | 'md5' |
  //   'scram-sha-256', users: { name: password }, usersFile, tlsCert, tlsKey, maxConnections,
  //   statementTimeout, idleTimeout (ms), threads }
  async listen(options = {}) {
    if (this.#closed) throw closedError();
    const pairs = optionPairs(options, ['users']);
    for (const [name, password] of Object.entries(options.users || {})) pairs.push(['user', `${name}:${password}`]);
    const server = new Server(await this.#native.listen(pairs), options.host || '127.0.0.1');
    this.#servers.add(server);
    const close = server.close.bind(server);
    server.close = () => {
      this.#servers.delete(server);
      return close();
    };
    return server;
  }

  // Waits for running work, stops listeners, closes sessions and the files.
  async close() {
    if (this.#closed) return;
    this.#closed = true;
    for (const w of this.#waiting.splice(0)) w.reject(closedError());
    if (this.#active > 0) await new Promise((resolve) => { this.#drained = resolve; });
    await Promise.all([...this.#servers].map((s) => s.close()));
    await Promise.all(this.#idle.splice(0).map((c) => c.close()));
    await this.#native.close();
  }

  get closed() { return this.#closed; }

  async #withConnection(fn) {
    if (this.#closed) throw closedError();
    const conn = await this.#acquire();
    this.#active++;
    try {
      return await fn(conn);
    } finally {
      this.#active--;
      this.#release(conn);
    }
  }

  #acquire() {
    if (this.#idle.length) return Promise.resolve(this.#idle.pop());
    if (this.#sessions < this.#poolSize) {
      this.#sessions++;
      return Promise.resolve(new Connection(this.#native.session(), this.#rowDefaults));
    }
    return new Promise((resolve, reject) => this.#waiting.push({ resolve, reject }));
  }

  #release(conn) {
    const next = this.#waiting.shift();
    if (next) {
      next.resolve(conn);
      return;
    }
    this.#idle.push(conn);
    if (this.#active === 0 && this.#drained) this.#drained();
  }
}

module.exports = { Database, Statement, Transaction, Server, version: native.version, prepareValue };
