import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatasetHandle, RunListItem, SessionInfo } from '../../common/lab-api';
import { sessionArgs } from '../support/settings';
import { dataset, lastJson, runCli, tempHome } from '../support/cli';
import { startServe, tryUpgrade, WireClient, type ServeProcess } from './helpers';

const home = tempHome();
const scratch = tempHome();
let server: ServeProcess;
const clients: WireClient[] = [];

beforeAll(async () => {
  server = await startServe(['--port', '0', '--home', home.dir]);
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await server?.stop();
  home.cleanup();
  scratch.cleanup();
});

async function connect(): Promise<WireClient> {
  const client = await WireClient.connect(server);
  clients.push(client);
  return client;
}

describe('nnlab serve: the WebSocket upgrade', () => {
  it('opens with the token and refuses without it or with a wrong one (403)', async () => {
    const base = `ws://127.0.0.1:${server.port}/ws`;
    expect(await tryUpgrade(`${base}?token=${server.token}`)).toBe('open');
    expect(await tryUpgrade(base)).toBe(403);
    expect(await tryUpgrade(`${base}?token=${'0'.repeat(64)}`)).toBe(403);
    expect(await tryUpgrade(`${base}?token=${server.token}x`)).toBe(403);
  });

  it('does not take the token from the cookie: the upgrade must carry ?token=', async () => {
    expect(await tryUpgrade(`ws://127.0.0.1:${server.port}/ws`, { Cookie: `nnlab_token_${server.port}=${server.token}` })).toBe(403);
  });

  it('refuses other paths, other Hosts and foreign Origins', async () => {
    const query = `?token=${server.token}`;
    expect(await tryUpgrade(`ws://127.0.0.1:${server.port}/other${query}`)).toBe(404);
    expect(await tryUpgrade(`ws://127.0.0.1:${server.port}/ws${query}`, { Host: `evil.example:${server.port}` })).toBe(403);
    expect(await tryUpgrade(`ws://127.0.0.1:${server.port}/ws${query}`, { Origin: 'http://evil.example' })).toBe(403);
    expect(await tryUpgrade(`ws://127.0.0.1:${server.port}/ws${query}`, { Origin: `http://127.0.0.1:${server.port + 1}` })).toBe(403);
    expect(await tryUpgrade(`ws://127.0.0.1:${server.port}/ws${query}`, { Origin: 'null' })).toBe(403);
    expect(await tryUpgrade(`ws://127.0.0.1:${server.port}/ws${query}`, { Origin: `http://127.0.0.1:${server.port}` })).toBe('open');
    expect(await tryUpgrade(`ws://127.0.0.1:${server.port}/ws${query}`, { Origin: `http://localhost:${server.port}` })).toBe('open');
  });
});

describe('nnlab serve: bad messages', () => {
  it('answers a message that is not JSON with an error (id null) and keeps serving', async () => {
    const client = await connect();
    client.sendRaw('{"id": 1, "method": "version", "args": [');
    const reply = await client.reply(null);
    expect(reply.error?.message).toMatch(/not JSON/);
    expect(await client.call('version')).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('answers requests of the wrong shape with an error carrying their id when it can be read', async () => {
    const client = await connect();
    client.sendRaw(JSON.stringify({ id: 41, method: 'version' }));
    expect((await client.reply(41)).error?.message).toMatch(/\(args: missing \(expected array\)\)\.$/);
    client.sendRaw(JSON.stringify({ id: 42, method: 7, args: [] }));
    expect((await client.reply(42)).error?.message).toMatch(/method/);
    client.sendRaw(JSON.stringify({ id: 43, method: 'version', args: [], extra: true }));
    expect((await client.reply(43)).error).toBeDefined();
    client.sendRaw(JSON.stringify({ id: 'x', method: 'version', args: [] }));
    expect((await client.reply(null)).error).toBeDefined();
    client.sendRaw('[1, 2, 3]');
    client.sendRaw('null');
    client.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    expect(await client.call('version')).toMatch(/^\d/);
    expect(client.messages.filter((m) => m.id === null && m.error).length).toBeGreaterThanOrEqual(4);
  });

  it('answers an unknown method with an error, then a valid call', async () => {
    const client = await connect();
    const reply = await client.request('dropEverything', []);
    expect(reply.error?.message).toMatch(/Unknown method "dropEverything"/);
    const listed = await client.call<{ runs: RunListItem[] }>('listRuns');
    expect(Array.isArray(listed.runs)).toBe(true);
    // Names from Object.prototype are not methods either.
    expect((await client.request('constructor', [])).error?.message).toMatch(/Unknown method/);
    expect((await client.request('__proto__', [])).error?.message).toMatch(/Unknown method/);
  });

  it('answers invalid arguments with an error, without a stack trace, then a valid call', async () => {
    const client = await connect();
    for (const [method, args] of [
      ['getRun', []],
      ['getRun', [42]],
      ['renameRun', ['x']],
      ['step', ['run', -1]],
      ['createSession', ['nope', {}, { epochs: 'many' }]],
      ['uploadDataset', ['a.csv', 'not bytes']],
      ['uploadDataset', ['a.csv', { $bytes: 'not base64!' }]],
      ['uploadDataset', ['a.csv', { $bytes: 'QQ==', more: 1 }]],
    ] as const) {
      const reply = await client.request(method, [...args]);
      expect(reply.error?.message, `${method} ${JSON.stringify(args)}`).toMatch(/Invalid arguments/);
      expect(reply.error?.message).not.toMatch(/\n\s+at /);
    }
    // An error from the lab itself is its message only.
    const missing = await client.request('getRun', ['no-such-run']);
    expect(missing.error?.message).toBeTruthy();
    expect(missing.error?.message).not.toMatch(/\n\s+at /);
    expect(Object.keys(missing.error!)).toEqual(['message']);
    expect(await client.call('version')).toMatch(/^\d/);
    expect((await client.call<{ runs: unknown[] }>('listRuns')).runs).toEqual([]);
  });
});

describe('nnlab serve: a training run over the WebSocket', () => {
  it('uploads iris, trains 30 epochs with progress events, and lists the finished run', async () => {
    const client = await connect();
    const watcher = await connect();
    const bytes = readFileSync(dataset('iris.csv'));
    const handle = await client.call<DatasetHandle>('uploadDataset', 'iris.csv', { $bytes: bytes.toString('base64') });
    expect(handle.rows).toBe(150);
    expect(handle.name).toBe('iris.csv');

    const created = await client.call<SessionInfo>('createSession', handle.id, ...sessionArgs({ epochs: 30, name: 'over the wire' }));
    const run = created.run;
    expect(run).toBeTruthy();
    expect(created.name).toBe('over the wire');

    const started = await client.call<SessionInfo>('start', run);
    expect(started.run).toBe(run);

    const progress = await client.event('progress', (e) => e.run === run);
    const p = progress.progress as { epochs: number; batchLosses: unknown; batchSteps: unknown };
    expect(p.epochs).toBe(30);
    // Typed arrays arrive as plain arrays of numbers.
    expect(Array.isArray(p.batchLosses)).toBe(true);
    expect(Array.isArray(p.batchSteps)).toBe(true);

    const done = await client.event('done', (e) => e.run === run);
    expect(done.status).toBe('finished');
    // Every connection hears every event.
    expect((await watcher.event('done', (e) => e.run === run)).status).toBe('finished');
    await client.event('runs-changed');

    const listed = await client.call<{ runs: RunListItem[] }>('listRuns');
    const item = listed.runs.find((r) => r.id === run);
    expect(item?.status).toBe('finished');
    expect(item?.epochs).toBeGreaterThan(0);
    expect(item?.name).toBe('over the wire');

    const stored = await client.call<{ metrics: unknown[] }>('getRun', run);
    expect(stored.metrics.length).toBe(item?.epochs);
  });
});

describe('nnlab serve: the built-in example datasets', () => {
  it('opens every example from the built app', async () => {
    const client = await connect();
    const examples = await client.call<{ id: string }[]>('exampleDatasets');
    expect(examples.map((e) => e.id)).toEqual(expect.arrayContaining(['seed-xor', 'xor', 'iris', 'penguins']));
    const iris = await client.call<DatasetHandle>('openExample', 'iris');
    expect(iris.rows).toBe(150);
    expect(iris.summary.target).toBe('species');
  });
});


describe('nnlab serve: paths on this computer', () => {
  it('reads no path a browser names outside its uploads and the examples: not a dataset, a model, or a run’s data', async () => {
    const client = await connect();
    const refused = /reads only files sent to it from this window .* not paths on this computer/;
    const passwd = await client.request('openDatasetPath', ['/etc/passwd', { delimiter: ':', header: false }]);
    expect(passwd.error?.message).toMatch(refused);
    expect(JSON.stringify(passwd)).not.toContain('root:');
    expect((await client.request('openModelPath', ['/etc/passwd'])).error?.message).toMatch(refused);
    expect((await client.request('openDatasetPath', [`${home.dir}/../../etc/passwd`])).error?.message).toMatch(refused);
    // A run made by the command line from a file elsewhere is listed, but its data is not read back by duplicating it.
    const outside = join(scratch.dir, 'outside.csv');
    writeFileSync(outside, readFileSync(dataset('iris.csv')));
    const trained = lastJson<{ run: string }>(await runCli(['train', outside, '--epochs', '2', '--home', home.dir, '--json']));
    expect((await client.request('duplicateRun', [trained.run])).error?.message).toMatch(refused);
    // What a browser sends, and the examples, it reads as before.
    const iris = await client.call<DatasetHandle>('openExample', 'iris');
    expect(iris.rows).toBe(150);
    expect((await client.call<{ dataset: DatasetHandle }>('duplicateRun', (await trainedFrom(client, iris)))).dataset.rows).toBe(150);
  });
});

/** A finished run of an open dataset, trained over the WebSocket. */
async function trainedFrom(client: WireClient, data: DatasetHandle): Promise<string> {
  const { run } = await client.call<SessionInfo>('createSession', data.id, ...sessionArgs({ epochs: 2 }));
  await client.call('start', run);
  await client.event('done', (e) => e.run === run);
  return run;
}

describe('nnlab serve: limits per client', () => {
  it('refuses a large message that is not an upload, and serves the client afterwards', async () => {
    const client = await connect();
    const reply = await client.request('getRun', ['x'.repeat(2 * 1024 * 1024)]);
    expect(reply.error?.message).toMatch(/may be at most 1 MB; only an upload may be larger \(up to 100 MB\)/);
    // The limit is in bytes: fewer characters than that, each of three bytes, are as large.
    const euros = await client.request('setRunNotes', ['x', '€'.repeat(400_000)]);
    expect(euros.error?.message).toMatch(/may be at most 1 MB; only an upload may be larger/);
    expect(await client.call('version')).toMatch(/^\d/);
  });

  it('works on a bounded number of one window’s calls at once, refusing the rest until some are answered', async () => {
    const client = await connect();
    const replies = await Promise.all(Array.from({ length: 80 }, () => client.request('openExample', ['iris'])));
    const refused = replies.filter((r) => r.error?.message.startsWith('Too many calls at once from this window'));
    expect(refused.length).toBeGreaterThan(0);
    expect(replies.filter((r) => r.result !== undefined).length).toBeGreaterThanOrEqual(32);
    expect((await client.call<DatasetHandle>('openExample', 'iris')).rows).toBe(150);
  });

  it('keeps a bounded number of training processes, however many runs a client opens', async () => {
    const client = await connect();
    const iris = await client.call<DatasetHandle>('openExample', 'iris');
    const opened: string[] = [];
    let refusal = '';
    for (let i = 0; i < 20 && !refusal; i++) {
      const reply = await client.request('createSession', [iris.id, ...sessionArgs({ epochs: 5 })]);
      if (reply.error) refusal = reply.error.message;
      else opened.push((reply.result as SessionInfo).run);
    }
    expect(refusal).toMatch(/^12 runs are already open in this lab; stop or finish one before opening another\.$/);
    expect(opened.length).toBeLessThanOrEqual(12);
    for (const run of opened) await client.call('stop', run);
    // Stopped runs leave room again, once their processes have gone.
    while ((await client.call<SessionInfo[]>('sessions')).length > 0) await new Promise((resolve) => setTimeout(resolve, 50));
    const again = await client.call<SessionInfo>('createSession', iris.id, ...sessionArgs({ epochs: 5 }));
    await client.call('stop', again.run);
  });
});
