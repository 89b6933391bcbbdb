// Type-checked with `tsc --noEmit -p test/types`: the declarations cover how the API is used.
import { Database, DatabaseError, QueryResult, Statement, Server } from 'heliosdb-nano';

interface Note { id: number; body: string; created: Date }

async function main(): Promise<void> {
  const db: Database = await Database.open(':memory:', { syncCommit: false, bigint: false, poolSize: 2 });
  await db.query('CREATE TABLE notes (id serial PRIMARY KEY, body text, created timestamptz DEFAULT now())');
  const inserted: QueryResult<{ id: number }> = await db.query<{ id: number }>(
    'INSERT INTO notes (body) VALUES ($1) RETURNING id', ['hello']);
  const id: number = inserted.rows[0].id;
  const { rows } = await db.query<Note>('SELECT * FROM notes WHERE id = $1', [id]);
  const created: Date = rows[0].created;
  const arrays = await db.query('SELECT 1, 2', [], { rowMode: 'array' });
  console.log(arrays.fields[0].dataTypeID, created.toISOString(), inserted.command, inserted.rowCount);

  const byId: Statement = await db.prepare('SELECT body FROM notes WHERE id = $1');
  const again = await byId.query([id]);
  console.log(again.rows.length, byId.paramTypes.length);

  const total: number = await db.transaction(async (tx) => {
    await tx.query('INSERT INTO notes (body) VALUES ($1), ($2)', ['a', Buffer.from('b')]);
    await tx.query(byId, [1]);
    return 2;
  });
  console.log(total);

  try {
    await db.query('SELECT * FROM nowhere');
  } catch (e) {
    const err = e as DatabaseError;
    console.log(err.code, err.position, err.detail);
  }

  const server: Server = await db.listen({ port: 0, auth: 'scram-sha-256', users: { admin: 'pw' } });
  console.log(`psql -h ${server.host} -p ${server.port} -U admin`);
  await server.close();
  await db.close();
}

main().catch((e: unknown) => { console.error(e); process.exit(1); });
