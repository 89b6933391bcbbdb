// Type declarations of heliosdb-nano (the Node-API addon of HeliosDB Nano).
/// <reference types="node" />

/** A value as a parameter: text, numbers, booleans, bigint, Date, Buffer, arrays, JSON objects, null. */
export type ParamValue =
  | string | number | boolean | bigint | Date | Buffer | Uint8Array | null | undefined
  | ParamValue[] | { [key: string]: unknown } | { toPostgres(prepare: (v: unknown) => unknown): unknown };

/** One output column, as node-postgres describes it. */
export interface FieldDef {
  name: string;
  tableID: number;
  columnID: number;
  dataTypeID: number;
  dataTypeSize: number;
  dataTypeModifier: number;
  format: 'text';
}

/** A statement's outcome: node-postgres's QueryResult shape. */
export interface QueryResult<R = any> {
  /** First word of the command tag: 'SELECT', 'INSERT', 'CREATE', ... */
  command: string;
  /** Rows returned or affected; null for commands without a count. */
  rowCount: number | null;
  rows: R[];
  fields: FieldDef[];
}

export interface QueryOptions {
  /** 'array' returns each row as an array instead of an object. */
  rowMode?: 'array';
  /** int8 as BigInt instead of string. */
  bigint?: boolean;
}

/** Errors are Error objects carrying PostgreSQL's fields. */
export interface DatabaseError extends Error {
  /** SQLSTATE, e.g. '23505'. */
  code: string;
  severity?: string;
  detail?: string;
  hint?: string;
  /** 1-based character position in the SQL text, as text (as node-postgres gives it). */
  position?: string;
}

export interface OpenOptions {
  /** Create the directory when missing (default true); otherwise opening fails with 3D000. */
  createIfMissing?: boolean;
  /** fsync every commit (default true). */
  syncCommit?: boolean;
  cacheSize?: number;
  writeBufferSize?: number;
  timezone?: string;
  datestyle?: string;
  /** int8 as BigInt by default. */
  bigint?: boolean;
  /** Sessions kept for concurrent queries (default 4). */
  poolSize?: number;
}

export interface ListenOptions {
  host?: string;
  /** 0 (the default) picks a free port; read it from Server.port. */
  port?: number;
  auth?: 'trust' | 'password' | 'md5' | 'scram-sha-256';
  /** User name to password; stored as SCRAM-SHA-256 verifiers. */
  users?: Record<string, string>;
  usersFile?: string;
  tlsCert?: string;
  tlsKey?: string;
  maxConnections?: number;
  /** Milliseconds; 0 means none. */
  statementTimeout?: number;
  idleTimeout?: number;
  threads?: number;
}

export type Query = string | Statement;

export declare class Statement {
  readonly text: string;
  /** Parameter type OIDs, inferred where the SQL does not give them. */
  readonly paramTypes: number[];
  query<R = any>(params?: ParamValue[], options?: QueryOptions): Promise<QueryResult<R>>;
}

export declare class Transaction {
  query<R = any>(query: Query, params?: ParamValue[], options?: QueryOptions): Promise<QueryResult<R>>;
}

export declare class Server {
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

export declare class Database {
  /** Opens (creating when missing) the database directory at `location`, or ':memory:'. */
  static open(location: string, options?: OpenOptions): Promise<Database>;
  /** One statement on a pooled session in autocommit mode (several, separated by ';', without params). */
  query<R = any>(query: Query, params?: ParamValue[], options?: QueryOptions): Promise<QueryResult<R>>;
  prepare(sql: string): Promise<Statement>;
  /** BEGIN; fn(tx); COMMIT — or ROLLBACK and rethrow when fn throws. */
  transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T>;
  /** Serves this database to PostgreSQL clients (psql, pgAdmin, node-postgres) from this process. */
  listen(options?: ListenOptions): Promise<Server>;
  /** Waits for running work, stops listeners, closes the files. */
  close(): Promise<void>;
  readonly closed: boolean;
}

/** The engine's version string. */
export declare const version: string;
/** The text (or Buffer) a JavaScript value is sent as. */
export declare function prepareValue(value: ParamValue): string | Buffer | null;
