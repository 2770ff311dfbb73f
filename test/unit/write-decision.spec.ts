import { decideWrite, type WriteFacts } from '../../lib/session/write-decision.js';

const FACTS = [
  'carried',
  'ended',
  'changed',
  'populated',
  'saveRequested',
  'saveUninitialized',
  'renewalDue',
  'revalidated',
  'adopted',
] as const;

const NONE: WriteFacts = Object.fromEntries(FACTS.map((fact) => [fact, false])) as never;
const facts = (...set: (typeof FACTS)[number][]): WriteFacts =>
  ({ ...NONE, ...Object.fromEntries(set.map((fact) => [fact, true])) }) as WriteFacts;

describe('decideWrite', () => {
  // One row per line of the README's "When a cookie is written" table.
  const rows: [string, WriteFacts, string][] = [
    ['never touched the session and had no cookie', facts(), 'nothing'],
    ['made a new session and left it empty', facts(), 'nothing'],
    [
      'made a new session and left it empty, with saveUninitialized',
      facts('saveUninitialized'),
      'seal',
    ],
    ['made a new session and stored data', facts('changed', 'populated'), 'seal'],
    [
      'changed the data of a session that came in',
      facts('carried', 'changed', 'populated'),
      'seal',
    ],
    [
      'came with a valid cookie and changed nothing, renewal not due',
      facts('carried', 'populated'),
      'nothing',
    ],
    [
      'came with a valid cookie and changed nothing, renewal due',
      facts('carried', 'populated', 'renewalDue'),
      'seal',
    ],
    ['destroyed the session that came in', facts('carried', 'ended', 'changed'), 'clear'],
    ['destroyed a session without any cookie', facts('ended'), 'clear'],
    [
      'destroyed the session that came in, with saveUninitialized',
      facts('carried', 'ended', 'changed', 'saveUninitialized'),
      'clear',
    ],
    [
      'regenerated the session and stored data in the new one',
      facts('carried', 'ended', 'changed', 'populated'),
      'seal',
    ],
    ['emptied a session that came in', facts('carried', 'changed'), 'clear'],
    [
      'emptied a session that came in, with saveUninitialized',
      facts('carried', 'changed', 'saveUninitialized'),
      'seal',
    ],
    ['called save() on a new, empty session', facts('saveRequested'), 'seal'],
    [
      'called save() on an unchanged session that came in',
      facts('carried', 'populated', 'saveRequested'),
      'seal',
    ],
    [
      'passed validate with an interval, nothing else due',
      facts('carried', 'populated', 'revalidated'),
      'seal',
    ],
    ["adopted a replaced library's cookie", facts('carried', 'populated', 'adopted'), 'seal'],
  ];
  it.each(rows.map(([label, given, expected]) => [label, expected, given] as const))(
    'a request that %s gets: %s',
    (_, expected, given) => {
      expect(decideWrite(given)).toBe(expected);
    },
  );

  /** The README's table written as rules tried in order: the first that applies decides. */
  function expectedDecision(f: WriteFacts): string {
    const startsAfresh = f.ended || !f.carried;
    const keepsSomething = f.populated || f.saveUninitialized;
    const rules: [boolean, string][] = [
      [startsAfresh && (f.populated || f.saveRequested), 'seal'],
      [startsAfresh && f.ended, 'clear'],
      [startsAfresh && f.saveUninitialized, 'seal'],
      [startsAfresh, 'nothing'],
      [f.changed && !keepsSomething, 'clear'],
      [f.changed || f.saveRequested || f.renewalDue || f.revalidated || f.adopted, 'seal'],
      [true, 'nothing'],
    ];
    return rules.find(([applies]) => applies)![1];
  }

  const everyCombination = Array.from({ length: 2 ** FACTS.length }, (_, bits) =>
    facts(...FACTS.filter((_, i) => bits & (1 << i))),
  );

  it(`agrees with the table's rules for all ${2 ** FACTS.length} combinations of facts`, () => {
    const disagreements = everyCombination
      .filter((f) => decideWrite(f) !== expectedDecision(f))
      .map((f) => FACTS.filter((fact) => f[fact]).join('+') || 'none');
    expect(disagreements).toEqual([]);
  });

  it('never clears a cookie that did not come in unless the session was destroyed', () => {
    const cleared = everyCombination.filter(
      (f) => !f.carried && !f.ended && decideWrite(f) === 'clear',
    );
    expect(cleared).toEqual([]);
  });

  it('always writes a seal when save() was called on a session holding data', () => {
    const unsaved = everyCombination.filter(
      (f) => f.saveRequested && f.populated && decideWrite(f) !== 'seal',
    );
    expect(unsaved.map((f) => FACTS.filter((fact) => f[fact]).join('+'))).toEqual([]);
  });
});
