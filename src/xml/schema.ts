import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  ParseOption,
  XmlBufferInputProvider,
  XmlDocument,
  XmlLibError,
  xmlRegisterInputProvider,
  XsdValidator,
  type ErrorDetail,
} from 'libxml2-wasm';
import { IdpError, type ErrorCode } from '../errors/index.js';

// XML Schema validation in-process with libxml2 compiled to WebAssembly (libxml2-wasm): each schema is compiled
// once, on first use, and kept; a message costs a parse and a validation (~0.5 ms for an AuthnRequest), where the
// earlier `xmllint` child process cost ~9 ms of CPU and a process per message, and xmllint-wasm (which re-reads the
// schemas on every call) ~250 ms. libxml2's own XSD engine, so the same verdicts as Debian's xmllint (a test checks).
// The schemas are the local files under xsd/; the only files libxml2 can open are those (nothing else, no network).

export type SchemaName = 'protocol' | 'metadata';

const SCHEMA_FILES: Record<SchemaName, string> = {
  protocol: 'saml-schema-protocol-2.0.xsd',
  metadata: 'metadata-with-ui.xsd',
};

/** No network, no external entities or DTDs, for the schemas and for every message. */
const PARSE_OPTIONS = ParseOption.XML_PARSE_NONET | ParseOption.XML_PARSE_NO_XXE;

// src/xml/ and the built dist/xml/ are both two levels below the folder that holds xsd/.
function schemaDirectory(): string {
  const candidate = fileURLToPath(new URL('../../xsd/', import.meta.url));
  if (!existsSync(candidate)) throw new Error(`xsd/ directory not found at ${candidate}`);
  return candidate;
}

let schemaDir: string | undefined;
const validators = new Map<SchemaName, XsdValidator>();

/** Registers (once) an input provider that serves the xsd/ files by their absolute path and nothing else. */
function schemaFiles(): string {
  if (schemaDir) return schemaDir;
  const dir = schemaDirectory();
  const files: Record<string, Uint8Array> = {};
  for (const name of readdirSync(dir).filter((file) => file.endsWith('.xsd'))) files[dir + name] = readFileSync(dir + name);
  xmlRegisterInputProvider(new XmlBufferInputProvider(files));
  schemaDir = dir;
  return dir;
}

function validatorFor(schema: SchemaName): XsdValidator {
  const known = validators.get(schema);
  if (known) return known;
  const dir = schemaFiles();
  const path = dir + SCHEMA_FILES[schema];
  // The schema's own URL, so that its relative schemaLocations resolve to the files the provider serves.
  const schemaDocument = XmlDocument.fromBuffer(readFileSync(path), { url: path, option: PARSE_OPTIONS });
  try {
    const validator = XsdValidator.fromDoc(schemaDocument);
    validators.set(schema, validator);
    return validator;
  } finally {
    schemaDocument.dispose();
  }
}

/** Compiles the schemas now rather than on the first message (start-up, tests). */
export function prepareSchemas(): void {
  for (const schema of Object.keys(SCHEMA_FILES) as SchemaName[]) validatorFor(schema);
}

function problemsOf(error: unknown): string[] {
  const details: ErrorDetail[] = error instanceof XmlLibError ? error.details : [];
  const problems = details.slice(0, 10).map((detail) => `-:${detail.line}: ${detail.message.trim()}`);
  return problems.length > 0 ? problems : [error instanceof Error ? error.message : String(error)];
}

/** Validates synchronously; throws IdpError(code) listing the problems when `xml` is not well-formed or not valid. */
export function validateAgainstSchemaSync(xml: string, schema: SchemaName, code: ErrorCode): void {
  const validator = validatorFor(schema);
  let document: XmlDocument;
  try {
    document = XmlDocument.fromString(xml, { option: PARSE_OPTIONS });
  } catch (error) {
    throw new IdpError(code, 'XML schema validation failed', { detail: { problems: problemsOf(error) } });
  }
  try {
    validator.validate(document);
  } catch (error) {
    throw new IdpError(code, 'XML schema validation failed', { detail: { problems: problemsOf(error) } });
  } finally {
    // The document lives in the WebAssembly heap: freed here, never by the garbage collector.
    document.dispose();
  }
}

/** Resolves when `xml` is valid against the schema; otherwise rejects with IdpError(code) listing the problems. */
export async function validateAgainstSchema(xml: string, schema: SchemaName, code: ErrorCode): Promise<void> {
  validateAgainstSchemaSync(xml, schema, code);
}
