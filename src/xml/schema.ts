import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { IdpError, type ErrorCode } from '../errors/index.js';

// XML Schema validation with Debian's xmllint as a child process (libraries.md §1: 8.8 ms per call). The schemas
// are local files under xsd/ and xmllint runs with --nonet, so validation never fetches anything. When the binary
// is missing we fail closed: an unvalidated message is never accepted.

export type SchemaName = 'protocol' | 'metadata';

const SCHEMA_FILES: Record<SchemaName, string> = {
  protocol: 'saml-schema-protocol-2.0.xsd',
  metadata: 'metadata-with-ui.xsd',
};

export const XMLLINT_PATH = '/usr/bin/xmllint';

function schemaDirectory(): string {
  for (const relative of ['../../xsd/', '../../../xsd/']) {
    const candidate = fileURLToPath(new URL(relative, import.meta.url));
    if (existsSync(candidate)) return candidate;
  }
  throw new Error('xsd/ directory not found');
}

export function schemaValidatorAvailable(): boolean {
  return existsSync(XMLLINT_PATH);
}

/** Resolves when `xml` is valid against the schema; otherwise rejects with IdpError(code) listing the problems. */
export function validateAgainstSchema(xml: string, schema: SchemaName, code: ErrorCode): Promise<void> {
  if (!schemaValidatorAvailable()) {
    return Promise.reject(new IdpError(code, `schema validator ${XMLLINT_PATH} is not installed`));
  }
  const schemaPath = schemaDirectory() + SCHEMA_FILES[schema];
  return new Promise((resolve, reject) => {
    const child = execFile(
      XMLLINT_PATH,
      ['--noout', '--nonet', '--schema', schemaPath, '-'],
      { timeout: 10_000, maxBuffer: 1024 * 1024 },
      (error, _stdout, stderr) => {
        if (!error) return resolve();
        const problems = String(stderr).split('\n').filter((line) => line && !line.endsWith('fails to validate')).slice(0, 10);
        reject(new IdpError(code, 'XML schema validation failed', { detail: { problems } }));
      },
    );
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(xml);
  });
}
