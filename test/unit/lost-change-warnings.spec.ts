import { jest } from '@jest/globals';
import type { IncomingMessage } from 'node:http';
import { SessionRuntime } from '../../lib/session/session-runtime.js';

const SECRET = 'Vq3xN8rT2mLw9pZs4kYb7hJd1fGc6eRu';

function runtimeWithLog() {
  const log = { log: jest.fn(), warn: jest.fn(), error: jest.fn() };
  return { runtime: new SessionRuntime({ secret: SECRET }, log), warnings: log.warn.mock.calls };
}

const request = (method: string, url: string) => ({ method, url }) as IncomingMessage;

describe('lost change warnings', () => {
  it('says a kind of lost change once, whatever URLs and methods a client sends it with', () => {
    const { runtime, warnings } = runtimeWithLog();
    const methods = ['POST', 'PUT', 'PROPFIND', 'X-ANYTHING'];
    for (let id = 0; id < 150; id++) {
      runtime.warnLostChange(
        request(methods[id % methods.length], `/items/${id}?x=1`),
        'The session key "a" was changed',
        'late',
      );
    }
    expect(warnings).toHaveLength(1);
    expect(warnings[0][0]).toContain('"POST /items/0"');
    // Another change still gets its own report.
    runtime.warnLostChange(
      request('POST', '/checkout'),
      'The session key "cart" was changed',
      'late',
    );
    expect(warnings).toHaveLength(2);
    expect(warnings[1][0]).toContain('"POST /checkout"');
  });

  it('stops after 100 kinds of change, saying so once', () => {
    const { runtime, warnings } = runtimeWithLog();
    for (let key = 0; key < 130; key++) {
      runtime.warnLostChange(request('GET', '/'), `The session key "k${key}" was changed`, 'late');
    }
    expect(warnings).toHaveLength(101);
    expect(warnings[100][0]).toMatch(
      /^100 kinds of lost session changes were reported; further ones are not/,
    );
  });
});
