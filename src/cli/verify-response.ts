import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { isIdpError } from '../errors/index.js';
import { classifyClientResponse, verifyNemidResponse, type ExpectedProperties, type VerifiedNemidResponse } from '../nemid/index.js';
import { createCertificateValidator, createStaticCrlSource, loadTrustStore, type Environment } from '../pki/index.js';
import { parseIsoInstant } from '../shared/index.js';

// `nemid-idp verify-response FILE`: runs the verification steps that need no live transaction on captured evidence
// (nemid-protocol.md §4.5), offline. Revocation comes only from the given --crl files; `--revocation skip` reports
// NOT_CHECKED instead of failing. Exit 0 only when the response is valid.

export const VERIFY_RESPONSE_HELP = `Usage: nemid-idp verify-response FILE [options]

Verifies a captured NemID login response (the signed XML, or the base64 the browser posted) offline.

Options:
  --environment ENV       production (default), preproduction or simulator
  --trust-dir DIR         trust store directory (default: trust/<environment> of this installation); may hold
                          several environments' certificates: the environment's pinned roots are selected
  --root-sha256 FP[,FP]   SHA-256 of the trusted root(s) (default: the environment's genuine root)
  --crl FILE              a CRL file (DER); repeatable; the only revocation source
  --revocation MODE       check (default) or skip (reported as NOT_CHECKED)
  --at ISO-8601           the instant to validate at (default: now)
  --challenge VALUE       require this signed challenge
  --request-issuer NAME   require this RequestIssuer
  --timestamp VALUE       require this TimeStamp (as sent, or decoded)
  --json                  print the result as JSON
Exit status: 0 valid, 1 not valid, 2 usage error.`;

interface Output {
  stdout(text: string): void;
  stderr(text: string): void;
}

const ENVIRONMENTS: readonly Environment[] = ['production', 'preproduction', 'simulator'];

export async function verifyResponseCommand(args: string[], io: Output): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        environment: { type: 'string', default: 'production' },
        'trust-dir': { type: 'string' },
        'root-sha256': { type: 'string' },
        crl: { type: 'string', multiple: true, default: [] },
        revocation: { type: 'string', default: 'check' },
        at: { type: 'string' },
        challenge: { type: 'string' },
        'request-issuer': { type: 'string' },
        timestamp: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    io.stderr(`${error instanceof Error ? error.message : String(error)}\n\n${VERIFY_RESPONSE_HELP}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(VERIFY_RESPONSE_HELP);
    return 0;
  }
  const usage = (message: string) => {
    io.stderr(`${message}\n\n${VERIFY_RESPONSE_HELP}`);
    return 2;
  };
  if (positionals.length !== 1) return usage('exactly one FILE is required');
  const environment = values.environment as Environment;
  if (!ENVIRONMENTS.includes(environment)) return usage(`unknown environment: ${values.environment}`);
  if (values.revocation !== 'check' && values.revocation !== 'skip') return usage('--revocation must be check or skip');
  const at = values.at === undefined ? new Date() : parseIsoInstant(values.at);
  if (!at) return usage('--at must be an ISO-8601 instant with a zone, e.g. 2021-05-13T13:00:00Z');

  let input: Buffer;
  let crls: Buffer[];
  try {
    input = readFileSync(positionals[0] as string);
    crls = (values.crl as string[]).map((file) => readFileSync(file));
  } catch (error) {
    io.stderr(`cannot read input: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }

  const expected: ExpectedProperties = {
    ...(values.challenge === undefined ? {} : { challenge: values.challenge }),
    ...(values['request-issuer'] === undefined ? {} : { requestIssuer: values['request-issuer'] }),
    ...(values.timestamp === undefined ? {} : { timestamp: values.timestamp }),
  };
  const report = (result: Record<string, unknown>, lines: string[]) => {
    if (values.json) io.stdout(JSON.stringify(result, jsonReplacer, 2));
    else io.stdout(lines.join('\n'));
  };

  try {
    const trustDir = values['trust-dir'] ?? fileURLToPath(new URL(`../../trust/${environment}/`, import.meta.url));
    const validator = createCertificateValidator({
      trustStore: loadTrustStore(environment, trustDir, {
        mode: 'select',
        ...(values['root-sha256'] ? { pinnedRootSha256: values['root-sha256'] } : {}),
      }),
      revocation: createStaticCrlSource(crls),
    });
    const xml = documentBytes(input);
    if (xml.kind === 'error') {
      report(
        { valid: false, clientError: { code: xml.code, class: xml.class, errorCode: xml.errorCode } },
        [`NOT VALID: the file holds the client error code ${xml.code} (class ${xml.class}, ${xml.errorCode})`],
      );
      return 1;
    }
    const verified = await verifyNemidResponse(xml.bytes, { validator, at, expected, revocation: values.revocation });
    report(successJson(verified, expected, at), successLines(verified, expected, at));
    return 0;
  } catch (error) {
    if (!isIdpError(error)) throw error;
    if (error.code === 'CONFIG_INVALID') {
      io.stderr(`cannot load the ${environment} trust store: ${error.message}`);
      return 2;
    }
    report(
      { valid: false, error: { code: error.code, message: error.message, detail: error.detail ?? null }, at: at.toISOString() },
      [`NOT VALID: ${error.code}`, `  ${error.message}`],
    );
    return 1;
  }
}

/** A file holds either the XML itself or what the browser posted (base64 of the XML or of a client error code). */
function documentBytes(input: Buffer): { kind: 'document'; bytes: Buffer } | { kind: 'error'; code: string; class: string; errorCode: string } {
  const text = input.toString('utf8').replace(/^\uFEFF/, '').trim();
  if (text.startsWith('<')) return { kind: 'document', bytes: input };
  const classified = classifyClientResponse(text);
  return classified.kind === 'document' ? { kind: 'document', bytes: classified.xml } : classified;
}

function checkedProperties(expected: ExpectedProperties) {
  const state = (value: string | undefined) => (value === undefined ? 'NOT_CHECKED' : 'MATCH');
  return { challenge: state(expected.challenge), requestIssuer: state(expected.requestIssuer), timestamp: state(expected.timestamp) };
}

function successJson(verified: VerifiedNemidResponse, expected: ExpectedProperties, at: Date): Record<string, unknown> {
  const { certificateDer: _der, ...identity } = verified.identity;
  return {
    valid: true,
    at: at.toISOString(),
    type: verified.type,
    identity,
    certificateStatus: {
      status: verified.certificateStatus.status,
      revocation: verified.certificateStatus.revocation,
      chain: verified.certificateStatus.chain,
    },
    properties: verified.signedProperties,
    checked: checkedProperties(expected),
    signatureValueSha256: verified.signatureValueDigest.toString('hex'),
  };
}

function successLines(verified: VerifiedNemidResponse, expected: ExpectedProperties, at: Date): string[] {
  const identity = verified.identity;
  const who = identity.type === 'MOCES' ? `CVR ${identity.cvr} RID ${identity.rid}` : `PID ${identity.pid}`;
  const checked = checkedProperties(expected);
  return [
    `VALID at ${at.toISOString()}`,
    `  ${identity.type} ${who}: ${identity.commonName}${identity.youth ? ' (youth)' : ''}${identity.pseudonym ? ' (pseudonym)' : ''}`,
    `  certificate ${identity.certificateSerialHex} issued by ${identity.issuerDn}`,
    `  certificate status ${verified.certificateStatus.status}, revocation ${verified.certificateStatus.revocation}`,
    '  signed properties:',
    ...Object.entries(verified.signedProperties).map(([name, value]) => `    ${name} = ${JSON.stringify(value)}`),
    `  checked: challenge ${checked.challenge}, RequestIssuer ${checked.requestIssuer}, TimeStamp ${checked.timestamp}`,
    `  SHA-256 of SignatureValue ${verified.signatureValueDigest.toString('hex')}`,
  ];
}

function jsonReplacer(_key: string, value: unknown): unknown {
  if (value && typeof value === 'object' && (value as { type?: unknown }).type === 'Buffer' && Array.isArray((value as { data?: unknown }).data)) {
    return Buffer.from((value as { data: number[] }).data).toString('base64');
  }
  return value;
}
