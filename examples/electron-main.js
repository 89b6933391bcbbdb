// Electron main process with HeliosDB Nano inside it: no child process, no port unless you ask
// for one. The renderer talks to it through two IPC handlers:
//
//   const rows = await ipcRenderer.invoke('db:query',
//     'SELECT id, mrn, name FROM patients WHERE name ILIKE $1 LIMIT 50', [`%${term}%`]);
//   await ipcRenderer.invoke('db:transaction', [
//     { sql: 'INSERT INTO visits (patient_id, note) VALUES ($1, $2)', params: [id, note] },
//     { sql: 'UPDATE patients SET last_visit = now() WHERE id = $1', params: [id] }]);
//
// Set HELIOSDB_DEBUG_PORT to also serve the same database to pgAdmin / psql / DataGrip while
// debugging (password-protected, loopback only).
const path = require('node:path');
const { app, BrowserWindow, ipcMain } = require('electron');
const { Database } = require('heliosdb-nano');

let db = null;
let debugServer = null;

async function openDatabase() {
  db = await Database.open(path.join(app.getPath('userData'), 'healthrecords'));
  await db.query(`CREATE TABLE IF NOT EXISTS patients (
                    id serial PRIMARY KEY, mrn text UNIQUE NOT NULL, name text NOT NULL,
                    dob date, last_visit timestamptz)`);
  await db.query(`CREATE TABLE IF NOT EXISTS visits (
                    id serial PRIMARY KEY, patient_id int NOT NULL, note text, at timestamptz DEFAULT now())`);
  if (process.env.HELIOSDB_DEBUG_PORT) {
    debugServer = await db.listen({
      host: '127.0.0.1',
      port: Number(process.env.HELIOSDB_DEBUG_PORT),
      auth: 'scram-sha-256',
      users: { admin: process.env.HELIOSDB_DEBUG_PASSWORD || 'change-me' },
    });
    console.log(`pgAdmin: host 127.0.0.1, port ${debugServer.port}, user admin`);
  }
}

// Errors cross IPC as plain objects; keep PostgreSQL's fields so the renderer can act on them.
const ipcError = (e) => Object.assign(new Error(e.message), { code: e.code, detail: e.detail });

ipcMain.handle('db:query', async (_event, sql, params) => {
  try {
    const { rows } = await db.query(sql, params);
    return rows;
  } catch (e) {
    throw ipcError(e);
  }
});

ipcMain.handle('db:transaction', async (_event, queries) => {
  try {
    return await db.transaction(async (tx) => {
      const results = [];
      for (const { sql, params } of queries) results.push((await tx.query(sql, params)).rows);
      return results;
    });
  } catch (e) {
    throw ipcError(e);  // already rolled back
  }
});

function createWindow() {
  const win = new BrowserWindow({
    width: 1200,
    height: 800,
    webPreferences: { preload: path.join(__dirname, 'preload.js'), contextIsolation: true },
  });
  win.loadFile('index.html');
}

app.whenReady().then(async () => {
  await openDatabase();
  createWindow();
});

// Close cleanly so the last commits are on disk and the directory lock is released.
let closing = false;
app.on('will-quit', (event) => {
  if (closing || !db) return;
  closing = true;
  event.preventDefault();
  db.close().finally(() => app.quit());
});
