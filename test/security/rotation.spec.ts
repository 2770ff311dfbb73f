/**
 * Key rotation rolled out across processes. Two app processes (the built package,
 * test/security/fixtures/session-server.mjs) play two instances behind a load balancer.
 * Between stages they are restarted with a new key ring, as a deploy does, and clients with a cookie jar alternate between them, counting their requests in
 * the session (`/touch`: n + 1). For every request the test records whether the client was
 * logged out (a new session although it sent its cookie) and under which key the response's
 * cookie is sealed, and asserts:
 *  - a logout happens exactly when no key of the serving node's ring opens the cookie the client
 *    sent (predicted with SessionCodec), and the scenario's expected logouts, per client and
 *    stage, are exactly those observed;
 *  - every cookie a node writes is sealed under its ring's first key: under `new` (and not
 *    openable with `old`) as soon as that node has `new` first, under `old` before.
 */
import { randomBytes } from 'node:crypto';
import { SessionCodec } from '../../lib/index.js';
import { PLATFORMS, type Platform } from '../e2e/support/create-app.js';
import { startAppProcess, stopAllAppProcesses, type AppProcess } from './fixtures/app-process.js';
import { CookieJar, httpRequest, parseSetCookie } from './fixtures/http.js';

const OLD = randomBytes(32).toString('base64url');
const NEW = randomBytes(32).toString('base64url');
// The app processes run with secure: false, so their cookie is named 'session'.
const codecOf = (keys: readonly string[]) => new SessionCodec({ keys: [...keys], secure: false });
const oldCodec = codecOf([OLD]);
const newCodec = codecOf([NEW]);
const keyName = (key: string) => (key === OLD ? 'old' : 'new');
const ringName = (ring: readonly string[]) => `[${ring.map(keyName).join(', ')}]`;

type NodeName = 'a' | 'b';
type Ring = readonly string[];

interface Stage {
  label: string;
  a: Ring;
  b: Ring;
  /** Requests made during this stage, in order: client name and the node it reaches. */
  visits: [client: string, node: NodeName][];
}

interface Visit {
  stage: string;
  client: string;
  node: NodeName;
  ring: string;
  /** The client sent a session cookie. */
  hadCookie: boolean;
  /** It sent one and got a new session back. */
  loggedOut: boolean;
  /** No key of the serving node's ring opens the cookie it sent. */
  predictedLogout: boolean;
  /** The counter went on: n = previous n + 1, same session. */
  continued: boolean;
  /** Key the response's cookie is sealed under, by which codec opens it. */
  sealedUnder: 'old' | 'new' | 'both' | 'none';
  /** What the node's ring says it must seal under. */
  expectedSeal: 'old' | 'new';
  /** The opened seal holds this client's id and the counter the body shows. */
  sealMatchesBody: boolean;
  idOk: boolean;
}

/** `count` requests by `client`, alternating between the nodes, starting with `first`. */
function alternate(client: string, count: number, first: NodeName = 'a'): [string, NodeName][] {
  const second: NodeName = first === 'a' ? 'b' : 'a';
  return Array.from({ length: count }, (_, i) => [client, i % 2 === 0 ? first : second]);
}

/** Interleaves several clients' request lists, one request of each in turn. */
function interleave(...lists: [string, NodeName][][]): [string, NodeName][] {
  const out: [string, NodeName][] = [];
  for (let i = 0; i < Math.max(...lists.map((l) => l.length)); i++)
    for (const list of lists) if (i < list.length) out.push(list[i]);
  return out;
}

interface ClientState {
  jar: CookieJar;
  n: number;
}

/**
 * Runs the stages: starts (or restarts, when its ring changes) each node, then makes the
 * stage's requests. Returns every visit; the processes are stopped at the end.
 */
async function rollOut(platform: Platform, stages: Stage[]): Promise<Visit[]> {
  const nodes: Partial<Record<NodeName, AppProcess>> = {};
  const clients = new Map<string, ClientState>();
  const visits: Visit[] = [];
  try {
    for (const stage of stages) {
      // The deploy: every node whose ring changes is stopped and started again with it.
      await Promise.all(
        (['a', 'b'] as const).map(async (name) => {
          const ring = stage[name];
          const current = nodes[name];
          if (current && JSON.stringify(current.keys) === JSON.stringify(ring)) return;
          await current?.stop();
          nodes[name] = await startAppProcess({
            platform,
            keys: ring,
            label: `${name}${ringName(ring)}`,
          });
        }),
      );

      for (const [clientName, nodeName] of stage.visits) {
        const node = nodes[nodeName]!;
        let client = clients.get(clientName);
        if (!client) clients.set(clientName, (client = { jar: new CookieJar(), n: 0 }));
        const sent = client.jar.get('session');
        const ringCodec = codecOf(node.keys);
        const cookie = client.jar.header();
        const res = await httpRequest(
          node.port,
          `/touch?id=${clientName}`,
          cookie ? { headers: { cookie }, timeoutMs: 5_000 } : { timeoutMs: 5_000 },
        );
        expect(res.status).toBe(200);
        const body = JSON.parse(res.body) as { id: string; n: number; isNew: boolean };
        const written = res.setCookies.map(parseSetCookie).find((c) => c.name === 'session');
        const value = written?.value ?? '';
        const underNew = newCodec.open(value);
        const underOld = oldCodec.open(value);
        const opened = underNew ?? underOld;
        visits.push({
          stage: stage.label,
          client: clientName,
          node: nodeName,
          ring: ringName(node.keys),
          hadCookie: sent !== undefined,
          loggedOut: sent !== undefined && body.isNew,
          predictedLogout: sent !== undefined && ringCodec.open(sent) === undefined,
          continued: !body.isNew && body.n === client.n + 1,
          sealedUnder: underNew ? (underOld ? 'both' : 'new') : underOld ? 'old' : 'none',
          expectedSeal: keyName(node.keys[0]),
          sealMatchesBody: opened !== undefined && opened.id === clientName && opened.n === body.n,
          idOk: body.id === clientName,
        });
        client.n = body.n;
        client.jar.update(res.setCookies);
      }
    }
  } finally {
    await Promise.all(Object.values(nodes).map((node) => node?.stop()));
  }
  return visits;
}

/** Asserts what must hold for every request, whatever the scenario. */
function checkEveryVisit(visits: Visit[]) {
  const wrong = visits.filter(
    (v) =>
      !v.idOk ||
      !v.sealMatchesBody ||
      v.sealedUnder !== v.expectedSeal ||
      v.loggedOut !== v.predictedLogout ||
      (v.hadCookie && !v.loggedOut && !v.continued),
  );
  expect(wrong).toEqual([]);
}

/** Logouts observed, as `client@stage` strings (a client may appear once per logout). */
const logoutsOf = (visits: Visit[]) =>
  visits.filter((v) => v.loggedOut).map((v) => `${v.client}@${v.stage}`);

describe.each(PLATFORMS)('key rotation across two app processes, on %s', (platform) => {
  afterAll(() => stopAllAppProcesses());

  it(
    'the rollout the README describes, one node at a time ([old] → [old,new] → [new,old] → [new]): no active ' +
      'client is ever logged out; a client idle since [old] is logged out only when old is removed, ' +
      'one that came back once under [new,old] is not',
    async () => {
      const visits = await rollOut(platform, [
        {
          label: '1 both [old]',
          a: [OLD],
          b: [OLD],
          visits: interleave(alternate('alice', 6), alternate('dave', 2), alternate('erin', 2)),
        },
        { label: '2a a gets [old,new]', a: [OLD, NEW], b: [OLD], visits: alternate('alice', 6) },
        { label: '2b both [old,new]', a: [OLD, NEW], b: [OLD, NEW], visits: alternate('alice', 6) },
        {
          label: '3a a gets [new,old] (mixed with [old,new])',
          a: [NEW, OLD],
          b: [OLD, NEW],
          visits: alternate('alice', 6),
        },
        {
          label: '3b both [new,old]',
          a: [NEW, OLD],
          b: [NEW, OLD],
          visits: interleave(alternate('alice', 6), [['erin', 'b']]),
        },
        { label: '4a a gets [new]', a: [NEW], b: [NEW, OLD], visits: alternate('alice', 6) },
        {
          label: '4b both [new]',
          a: [NEW],
          b: [NEW],
          visits: interleave(alternate('alice', 6), alternate('dave', 2), alternate('erin', 2)),
        },
      ]);
      checkEveryVisit(visits);
      // dave never came back before `old` was removed: his cookie is still under old.
      expect(logoutsOf(visits)).toEqual(['dave@4b both [new]']);
      const alice = visits.filter((v) => v.client === 'alice');
      expect(alice.map((v) => v.continued)).toEqual(alice.map((_, i) => i > 0));
      expect(alice.length).toBe(42);
      // From the moment a node has `new` first, what it writes is under new.
      const afterNewFirst = visits.filter((v) => v.ring.startsWith('[new'));
      expect(afterNewFirst.length).toBeGreaterThan(0);
      expect(afterNewFirst.every((v) => v.sealedUnder === 'new')).toBe(true);
    },
    90_000,
  );

  it(
    'the mixed stage ([old] → one node [old,new], the other [new,old] → [new]): no logout until ' +
      'old is removed; then exactly the clients whose last cookie was written under old (by the ' +
      '[old,new] node, or before the rollout) are logged out, once',
    async () => {
      const visits = await rollOut(platform, [
        {
          label: '1 both [old]',
          a: [OLD],
          b: [OLD],
          visits: interleave(alternate('alice', 6), alternate('bob', 6), alternate('carol', 2)),
        },
        {
          label: '2 a [old,new], b [new,old]',
          a: [OLD, NEW],
          b: [NEW, OLD],
          // alice's last request reaches b (seals under new), bob's reaches a (under old).
          visits: interleave(alternate('alice', 6), alternate('bob', 5)),
        },
        {
          label: '3 both [new]',
          a: [NEW],
          b: [NEW],
          visits: interleave(alternate('alice', 6), alternate('bob', 6), alternate('carol', 4)),
        },
      ]);
      checkEveryVisit(visits);
      expect(logoutsOf(visits)).toEqual(['bob@3 both [new]', 'carol@3 both [new]']);
      // After the logout the new session counts on from 1 without further logouts.
      const bob = visits.filter((v) => v.client === 'bob' && v.stage === '3 both [new]');
      expect(bob.map((v) => v.loggedOut)).toEqual([true, false, false, false, false, false]);
      const alice = visits.filter((v) => v.client === 'alice');
      expect(alice.every((v, i) => v.continued === i > 0)).toBe(true);
    },
    90_000,
  );

  it(
    'skipping step 1 in a rolling deploy (a node gets [new,old] while the other still has only ' +
      '[old]) logs the client out on every visit to the [old] node: why the README adds new second first',
    async () => {
      const visits = await rollOut(platform, [
        { label: '1 both [old]', a: [OLD], b: [OLD], visits: alternate('alice', 2) },
        { label: '2 a [new,old], b [old]', a: [NEW, OLD], b: [OLD], visits: alternate('alice', 6) },
      ]);
      checkEveryVisit(visits);
      expect(logoutsOf(visits)).toEqual([
        'alice@2 a [new,old], b [old]',
        'alice@2 a [new,old], b [old]',
        'alice@2 a [new,old], b [old]',
      ]);
      expect(visits.filter((v) => v.loggedOut).every((v) => v.node === 'b')).toBe(true);
    },
    60_000,
  );
});
