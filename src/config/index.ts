// Configuration: the only reader of process.env. One schema, every problem reported at once, a frozen result that
// is passed in (never imported as a global). Trusts nothing it reads; keys are parsed and matched to their certs.
export * from './types.js';
export { loadConfig, loadDatabaseSettings, ConfigError, MITID_SIMULATOR_PATH, REQUIRED_OUTSIDE_SIMULATOR, DEFAULT_METRICS_PORT, type LoadConfigOptions, type SimulatorContext } from './load.js';
export { settingsSchema, type SettingName } from './schema.js';
