import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { IdpError, type ErrorCode } from '../errors/index.js';

// XML Schema validation with Debian's xmllint as a child process (libraries.md §1: 8.8 ms per call). The schemas
// are local files under xsd/ and xmllint runs with --nonet, so validation never fetches anything. Where the Debian
// package is not installed (a fresh developer machine), the same libxml2 compiled to WebAssembly (xmllint-wasm,
// about 260 ms per call) validates against the same files; an unvalidated message is never accepted.

export type SchemaName = 'protocol' | 'metadata';

const SCHEMA_FILES: Record<SchemaName, string> = {
  protocol: 'saml-schema-protocol-2.0.xsd',
  metadata: 'metadata-with-ui.xsd',
};

export const XMLLINT_PATH = '/usr/bin/xmllint';

// src/xml/ and the built dist/xml/ are both two levels below the folder that holds xsd/.
function schemaDirectory(): string {
  const candidate = fileURLToPath(new URL('../../xsd/', import.meta.url));
  if (!existsSync(candidate)) throw new Error(`xsd/ directory not found at ${candidate}`);
  return candidate;
}

export function schemaValidatorAvailable(): boolean {
  return existsSync(XMLLINT_PATH);
}

let schemaFiles: Array<{ fileName: string; contents: string }> | undefined;

async function validateWithWasm(xml: string, schema: SchemaName, code: ErrorCode): Promise<void> {
  const { validateXML } = await import('xmllint-wasm');
  const dir = schemaDirectory();
  schemaFiles ??= readdirSync(dir)
    .filter((name) => name.endsWith('.xsd'))
    .map((fileName) => ({ fileName, contents: readFileSync(dir + fileName, 'utf8') }));
  const main = schemaFiles.find((file) => file.fileName === SCHEMA_FILES[schema])!;
  const result = await validateXML({
    xml: [{ fileName: 'message.xml', contents: xml }],
    schema: [main],
    preload: schemaFiles.filter((file) => file !== main),
  });
  if (!result.valid) {
    const problems = result.errors.slice(0, 10).map((error) => error.message);
    throw new IdpError(code, 'XML schema validation failed', { detail: { problems } });
  }
}

/** Resolves when `xml` is valid against the schema; otherwise rejects with IdpError(code) listing the problems. */
export function validateAgainstSchema(xml: string, schema: SchemaName, code: ErrorCode): Promise<void> {
  if (!schemaValidatorAvailable()) return validateWithWasm(xml, schema, code);
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

/** For tests: the WebAssembly path, whatever is installed. */
export function validateAgainstSchemaWithWasm(xml: string, schema: SchemaName, code: ErrorCode): Promise<void> {
  return validateWithWasm(xml, schema, code);
}
