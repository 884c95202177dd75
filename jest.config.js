/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  // @scalar/hono-api-reference (the /docs page) ships ES modules only: let swc compile it like our own code.
  transformIgnorePatterns: ['/node_modules/(?!@scalar/)'],
  setupFiles: ['<rootDir>/test/setup/polyfills.ts'],
  // dynalite and HTTP tests need headroom on a 2-core machine; property tests run 1,000 cases each.
  testTimeout: 120000,
};
