// Module boundaries of architecture.md, enforced by test/unit/architecture/boundaries.test.ts.
const allowed = {
  shared: [],
  config: ['shared'],
  errors: ['shared'],
  xml: ['shared', 'errors'],
  pki: ['shared', 'errors'],
  saml: ['xml', 'shared', 'errors'],
  nemid: ['xml', 'pki', 'shared', 'errors'],
  store: ['shared', 'errors'],
  mitid: ['shared', 'errors'],
  login: ['saml', 'nemid', 'mitid', 'pki', 'store', 'shared', 'errors', 'config'],
  jobs: ['store', 'pki', 'shared', 'errors', 'config'],
  http: ['login', 'saml', 'errors', 'config', 'shared'],
  simulator: ['xml', 'pki', 'nemid', 'mitid', 'shared', 'errors'],
};
const modules = Object.keys(allowed);

const moduleRules = modules.map((name) => ({
  name: `${name}-imports-only-allowed-modules`,
  comment: `src/${name} may import only: ${allowed[name].join(', ') || 'nothing of ours'}`,
  severity: 'error',
  from: { path: `^src/${name}/` },
  to: { path: `^src/(?!(?:${[name, ...allowed[name]].join('|')})/)[^/]+/` },
}));

// Which third-party libraries only one module may touch.
const libraryRules = [
  ['pg', 'store'],
  ['fastify|@fastify/[^/]+', 'http'],
  ['@xmldom/xmldom|xml-crypto|@authenio/xml-encryption|libxml2-wasm', 'xml'],
  ['openid-client', 'mitid'],
  ['oidc-provider', 'simulator'],
].map(([lib, owner]) => ({
  name: `only-${owner}-imports-${lib.split('|')[0].replace(/[@/]/g, '')}`,
  severity: 'error',
  from: { path: '^src/', pathNot: `^src/${owner}/` },
  to: { path: `node_modules/(?:${lib})/` },
}));

module.exports = {
  forbidden: [
    ...moduleRules,
    ...libraryRules,
    {
      name: 'no-circular-modules',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true, path: '^src/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.js'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
