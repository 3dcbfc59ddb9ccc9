// `tap test/unit/architecture` (as the landing check and anyone naming the folder runs it) expands a folder with the
// test-file extensions of tap's plugins; .taprc drops the TypeScript plugin (tsx loads .ts instead), so the folder
// alone would hold "no valid test files". This entry is what tap finds there: it runs the folder's .ts tests in one
// process under the tsx loader. `npm test` includes only *.test.ts, so nothing runs twice.
await import('./boundaries.test.ts');
await import('./self-contained.test.ts');
