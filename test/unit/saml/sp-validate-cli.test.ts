import t from 'tap';
import { spValidateCommand } from '../../../src/cli/sp-validate.js';
import { FIXTURES } from './fixtures.js';

function io(env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { env, stdout: (text: string) => out.push(text), stderr: (text: string) => err.push(text) }, out, err };
}

t.test('valid folder exits 0 and lists the SPs', async (t) => {
  const run = io();
  t.equal(await spValidateCommand(['validate', `${FIXTURES}registry/valid`, '--environment', 'production'], run.io), 0);
  t.match(run.out.join('\n'), 'test-sp: https://sp.test/metadata');
});

t.test('problems exit 1 and are printed with their file', async (t) => {
  const run = io({ NEMID_ENVIRONMENT: 'production' });
  t.equal(await spValidateCommand(['validate', `${FIXTURES}registry/http-acs`], run.io), 1);
  t.match(run.err.join('\n'), /sp\.xml: AssertionConsumerService Location/);
});

t.test('the shipped demo SP is valid in the simulator only', async (t) => {
  const demoDir = new URL('../../../metadata', import.meta.url).pathname;
  t.equal(await spValidateCommand([demoDir, '--environment', 'simulator'], io().io), 0);
  t.equal(await spValidateCommand([demoDir, '--environment', 'production'], io().io), 1);
});

t.test('usage errors exit 2', async (t) => {
  t.equal(await spValidateCommand(['--environment', 'staging'], io().io), 2);
  t.equal(await spValidateCommand(['a', 'b'], io().io), 2);
});
