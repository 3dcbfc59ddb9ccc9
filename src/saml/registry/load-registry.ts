import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Clock, systemClock } from '../../shared/index.js';
import { isIdpError } from '../../errors/index.js';
import { validateAgainstSchema } from '../../xml/index.js';
import { usableCertificate } from './certificates.js';
import { endpointsOffIdpOrigin } from './endpoint-origin.js';
import { chooseEncryption } from './encryption-choice.js';
import { parseSpPolicy } from './policy.js';
import { StaticSpRegistry } from './registry.js';
import { readSpMetadata } from './sp-metadata.js';
import type { NemidEnvironment, RegisteredSp, SpRegistry } from './types.js';

// Loads METADATA_DIR (saml-profile.md §8.1): every `<name>.xml` with its `<name>.json`. All problems of all files
// are collected, each prefixed with the file it concerns; the caller refuses to start (or to swap on reload) when
// the list is not empty. A registry is returned only for callers that print it; it must not be used then.

/** A registration that is part of the deployment rather than a file in the folder (the simulator's demo SP). */
export interface BuiltInSpRegistration {
  readonly name: string;
  readonly metadataXml: string;
  readonly policyJson: string;
}

export interface LoadSpRegistryOptions {
  dir: string;
  environment: NemidEnvironment;
  idp: { entityId: string; baseUrl: string };
  clock?: Clock;
  /** Checked exactly like the folder's files; their problems are labelled "<name> (built-in)". */
  builtIn?: readonly BuiltInSpRegistration[];
}

interface RegistrationSource {
  readonly name: string;
  readonly xmlLabel: string;
  readonly jsonLabel: string;
  read(): Promise<[xml: string, json: string]>;
}

const NAME = /^[a-z0-9][a-z0-9-]*$/;
const WARN_BEFORE_MS = 30 * 24 * 3600 * 1000;

export async function loadSpRegistry(options: LoadSpRegistryOptions): Promise<{ registry: SpRegistry; problems: string[] }> {
  const clock = options.clock ?? systemClock;
  const problems: string[] = [];
  let entries: { name: string; isFile: boolean }[];
  try {
    entries = (await readdir(options.dir, { withFileTypes: true })).map((entry) => ({ name: entry.name, isFile: entry.isFile() }));
  } catch (error) {
    return { registry: new StaticSpRegistry([]), problems: [`${options.dir}: cannot read directory (${(error as Error).message})`] };
  }
  const files = new Set(entries.filter((entry) => entry.isFile && !entry.name.startsWith('.')).map((entry) => entry.name));
  const names = new Set<string>();
  for (const file of [...files].sort()) {
    const match = /^(.*)\.(xml|json)$/.exec(file);
    if (!match) continue; // README and the like are not registrations
    const name = match[1] ?? '';
    if (!NAME.test(name)) {
      problems.push(`${file}: name must match [a-z0-9][a-z0-9-]*`);
      continue;
    }
    const partner = `${name}.${match[2] === 'xml' ? 'json' : 'xml'}`;
    if (!files.has(partner)) problems.push(`${file}: ${partner} is missing`);
    else names.add(name);
  }

  const sources: RegistrationSource[] = [...names].sort().map((name) => ({
    name,
    xmlLabel: `${name}.xml`,
    jsonLabel: `${name}.json`,
    read: () => Promise.all([readFile(join(options.dir, `${name}.xml`), 'utf8'), readFile(join(options.dir, `${name}.json`), 'utf8')]),
  }));
  for (const builtIn of options.builtIn ?? []) {
    if (names.has(builtIn.name)) problems.push(`${builtIn.name}.xml: the name ${builtIn.name} is taken by the built-in registration of this environment`);
    sources.push({
      name: builtIn.name,
      xmlLabel: `${builtIn.name} (built-in)`,
      jsonLabel: `${builtIn.name} (built-in policy)`,
      read: async () => [builtIn.metadataXml, builtIn.policyJson],
    });
  }

  const sps: RegisteredSp[] = [];
  const seen = new Map<string, string>();
  for (const source of sources) {
    const result = await loadOne(options, source, clock);
    problems.push(...result.problems);
    if (!result.sp) continue;
    const earlier = seen.get(result.sp.entityId);
    if (earlier) problems.push(`${source.xmlLabel}: entityID ${result.sp.entityId} is also declared by ${earlier}`);
    else {
      seen.set(result.sp.entityId, source.xmlLabel);
      sps.push(result.sp);
    }
  }
  return { registry: new StaticSpRegistry(sps), problems };
}

async function loadOne(options: LoadSpRegistryOptions, source: RegistrationSource, clock: Clock): Promise<{ sp?: RegisteredSp; problems: string[] }> {
  const { name, xmlLabel: xmlFile, jsonLabel: jsonFile } = source;
  const problems: string[] = [];
  const note = (file: string, list: string[]) => problems.push(...list.map((problem) => `${file}: ${problem}`));

  const [xml, json] = await source.read();
  const policyResult = parseSpPolicy(json);
  note(jsonFile, policyResult.problems);

  try {
    await validateAgainstSchema(xml, 'metadata', 'SP_REGISTRY_INVALID');
  } catch (error) {
    const detail = isIdpError(error) ? ((error.detail?.problems as string[] | undefined) ?? [error.message]) : [String(error)];
    note(xmlFile, ['not schema-valid SAML metadata', ...detail.map((line) => line.replace(/^-:/, 'line '))]);
    return { problems };
  }
  let read: ReturnType<typeof readSpMetadata>;
  try {
    read = readSpMetadata(xml, options.environment === 'simulator');
  } catch (error) {
    note(xmlFile, [`unreadable (${(error as Error).message})`]);
    return { problems };
  }
  note(xmlFile, read.problems);
  const facts = read.facts;
  if (!facts) return { problems };
  if (facts.validUntil && facts.validUntil.getTime() <= clock.now().getTime()) note(xmlFile, [`validUntil ${facts.validUntil.toISOString()} has passed`]);
  if (facts.entityId === options.idp.entityId) note(xmlFile, ['entityID is the IdP\'s own']);

  const warnings: string[] = [];
  const certificates = (use: 'signing' | 'encryption') =>
    facts.keys
      .filter((key) => key.use === use || key.use === 'both')
      .flatMap((key) => key.certificatesBase64.map((base64) => ({ key, checked: usableCertificate(base64) })));
  const signing: string[] = [];
  for (const { checked } of certificates('signing')) {
    if ('problem' in checked) continue; // an SP may list a key we cannot use as long as one is usable
    signing.push(checked.pem);
    if (checked.notAfter.getTime() - clock.now().getTime() < WARN_BEFORE_MS) warnings.push(`signing certificate expires ${checked.notAfter.toISOString()}`);
  }
  if (signing.length === 0) note(xmlFile, ['no usable signing certificate (X.509 with RSA ≥ 2048 bits)']);

  const encryptionCandidates = certificates('encryption');
  const [firstEncryption] = encryptionCandidates;
  let encryptionCertificate: string | undefined;
  if (firstEncryption) {
    if ('problem' in firstEncryption.checked) note(xmlFile, [`unusable encryption certificate: ${firstEncryption.checked.problem}`]);
    else encryptionCertificate = firstEncryption.checked.pem;
  }

  warnings.push(...endpointsOffIdpOrigin(options.idp.baseUrl, [...facts.acsEndpoints, ...facts.sloEndpoints]).map((warning) => `${xmlFile}: ${warning}`));

  const policy = policyResult.policy;
  if (!policy) return { problems };
  if (policy.releaseCpr && !encryptionCertificate) note(jsonFile, ['releaseCpr needs an encryption key in the SP metadata']);
  const choice = chooseEncryption(policy, encryptionCertificate ? firstEncryption?.key : undefined);
  note(jsonFile, choice.problems);
  if (problems.length > 0) return { problems };

  const sp: RegisteredSp = {
    name,
    labels: { metadata: xmlFile, policy: jsonFile },
    entityId: facts.entityId,
    policy,
    acsEndpoints: facts.acsEndpoints,
    sloEndpoints: facts.sloEndpoints,
    signingCertificates: signing,
    ...(encryptionCertificate ? { encryptionCertificate } : {}),
    encryptionMethods: firstEncryption?.key.encryptionMethods.map((method) => method.algorithm) ?? [],
    ...(encryptionCertificate && choice.content && choice.keyTransport
      ? { encryption: { certificate: encryptionCertificate, content: choice.content, keyTransport: choice.keyTransport } }
      : {}),
    displayNames: facts.displayNames,
    warnings,
  };
  return { sp, problems };
}
