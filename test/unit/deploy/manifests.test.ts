import t from 'tap';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments, parse } from 'yaml';
import { REQUIRED_OUTSIDE_SIMULATOR, settingsSchema } from '../../../src/config/index.js';

// Issue 13 item 8: the deployment descriptions parse, and every setting they hand the IdP is one the configuration
// schema knows (a misspelt name would be ignored silently at start-up), and the required ones are all there.

const DEPLOY = resolve(import.meta.dirname, '../../../deploy');
const KNOWN = new Set(Object.keys(settingsSchema.shape));

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function kubernetesDocuments(): Array<{ file: string; doc: Doc }> {
  const dir = join(DEPLOY, 'kubernetes');
  return readdirSync(dir)
    .filter((name) => name.endsWith('.yaml') && name !== 'kustomization.yaml')
    .flatMap((file) =>
      parseAllDocuments(readFileSync(join(dir, file), 'utf8')).map((document) => {
        if (document.errors.length > 0) throw new Error(`${file}: ${document.errors.map((e) => e.message).join('; ')}`);
        return { file, doc: document.toJS() as Doc };
      }),
    );
}

function envFile(path: string): Record<string, string> {
  return Object.fromEntries(
    readFileSync(path, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.startsWith('#'))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

const unknown = (names: Iterable<string>) => [...names].filter((name) => !KNOWN.has(name));

t.test('kubernetes: every manifest parses, every object has a kind and a name, kustomization lists them all', async (t) => {
  const docs = kubernetesDocuments();
  t.ok(docs.length >= 10);
  for (const { file, doc } of docs) t.ok(doc['kind'] && doc['metadata']?.['name'], `${file}: ${doc['kind']} ${doc['metadata']?.['name']}`);
  const kinds = new Set(docs.map(({ doc }) => doc['kind']));
  for (const kind of ['Deployment', 'Service', 'Job', 'PodDisruptionBudget', 'HorizontalPodAutoscaler', 'ConfigMap', 'Secret']) t.ok(kinds.has(kind), kind);
  const kustomization = parse(readFileSync(join(DEPLOY, 'kubernetes/kustomization.yaml'), 'utf8')) as { resources: string[] };
  t.same([...kustomization.resources].sort(), [...new Set(docs.map(({ file }) => file))].sort());
});

t.test('kubernetes: every setting in the ConfigMap, Secret and Deployment exists in the schema; the required ones are given', async (t) => {
  const docs = kubernetesDocuments().map(({ doc }) => doc);
  const byName = (kind: string, name: string) => docs.find((d) => d['kind'] === kind && d['metadata']['name'] === name)!;
  const config = byName('ConfigMap', 'nemid-idp-config')['data'] as Record<string, string>;
  const secrets = byName('Secret', 'nemid-idp-secrets')['stringData'] as Record<string, string>;
  const migration = byName('Secret', 'nemid-idp-migration')['stringData'] as Record<string, string>;
  const deployment = byName('Deployment', 'nemid-idp');
  const container = deployment['spec']['template']['spec']['containers'][0];
  const inline = (container['env'] as Array<{ name: string }>).map((e) => e.name);
  t.same(unknown([...Object.keys(config), ...Object.keys(secrets), ...Object.keys(migration), ...inline]), [], 'no unknown setting');
  const given = new Set([...Object.keys(config), ...Object.keys(secrets), ...inline]);
  t.same(REQUIRED_OUTSIDE_SIMULATOR.filter((name) => !given.has(name)), [], 'every setting required in production is given');
  t.same(
    (container['envFrom'] as Array<Record<string, { name: string }>>).map((from) => from['configMapRef']?.name ?? from['secretRef']?.name),
    ['nemid-idp-config', 'nemid-idp-secrets'],
  );
  t.equal(Object.values(config).every((value) => typeof value === 'string'), true, 'ConfigMap values are strings (quoted numbers)');
});

t.test('kubernetes: probes, drain timing and a non-root read-only container', async (t) => {
  const docs = kubernetesDocuments().map(({ doc }) => doc);
  const deployment = docs.find((d) => d['kind'] === 'Deployment')!;
  const config = docs.find((d) => d['kind'] === 'ConfigMap' && d['metadata']['name'] === 'nemid-idp-config')!['data'] as Record<string, string>;
  const pod = deployment['spec']['template']['spec'];
  const container = pod['containers'][0];
  t.equal(container['readinessProbe']['httpGet']['path'], '/readyz');
  t.equal(container['livenessProbe']['httpGet']['path'], '/healthz');
  const drainMs = Number(config['SHUTDOWN_DRAIN_MS']);
  const timeoutMs = Number(config['SHUTDOWN_TIMEOUT_MS']);
  const probe = container['readinessProbe'];
  t.ok(drainMs > probe['periodSeconds'] * probe['failureThreshold'] * 1000, 'the drain outlasts the readiness probe noticing');
  t.ok(pod['terminationGracePeriodSeconds'] * 1000 > drainMs + timeoutMs, 'the grace period covers drain + shutdown timeout');
  t.equal(pod['securityContext']['runAsNonRoot'], true);
  t.equal(container['securityContext']['readOnlyRootFilesystem'], true);
  t.equal(container['securityContext']['allowPrivilegeEscalation'], false);
  t.same(container['securityContext']['capabilities']['drop'], ['ALL']);
  const ports = (container['ports'] as Array<{ containerPort: number }>).map((p) => p.containerPort);
  t.same(ports, [Number(config['PORT']), Number(config['METRICS_PORT'])], 'service and operations ports as configured');
  const job = docs.find((d) => d['kind'] === 'Job')!;
  t.same(job['spec']['template']['spec']['containers'][0]['args'], ['migrate']);
});

t.test('compose: parses; the IdP services get known settings only, the required ones from the env file', async (t) => {
  const compose = parse(readFileSync(join(DEPLOY, 'compose.yaml'), 'utf8')) as { services: Record<string, Doc> };
  t.same(Object.keys(compose.services).sort(), ['haproxy', 'idp', 'migrate', 'postgres']);
  t.equal(compose.services['idp']!['deploy']['replicas'], 2);
  t.same(compose.services['migrate']!['command'], ['migrate']);
  t.equal(compose.services['idp']!['depends_on']['migrate']['condition'], 'service_completed_successfully');
  const example = envFile(join(DEPLOY, 'nemid-idp.env.example'));
  for (const name of ['idp', 'migrate']) {
    const service = compose.services[name]!;
    t.same(service['env_file'], ['nemid-idp.env']);
    t.same(unknown(Object.keys(service['environment'] ?? {})), [], `${name}: no unknown setting`);
  }
  t.same(unknown(Object.keys(example)), [], 'nemid-idp.env.example: no unknown setting');
  const given = new Set([...Object.keys(example), ...Object.keys(compose.services['idp']!['environment'])]);
  t.same(REQUIRED_OUTSIDE_SIMULATOR.filter((name) => !given.has(name)), [], 'every required setting is in the example');
  const haproxy = readFileSync(join(DEPLOY, 'haproxy.cfg'), 'utf8');
  t.match(haproxy, /balance roundrobin/);
  t.match(haproxy, /option httpchk GET \/readyz/);
  t.notMatch(haproxy, /^\s*(cookie|stick|balance source|hash-type)/m, 'no stickiness');
});
