/** @jest-config-loader ts-node */
/** @jest-config-loader-options {"transpileOnly": true} */
import type { Config } from 'jest';

// One Jest run, a project per package and app. swc compiles TypeScript (type-checking is
// `npm run typecheck`); NestJS 12, jose and openid-client ship ESM only, so they are compiled to
// CommonJS too.
const swc: [string, Record<string, unknown>] = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];

const shared = {
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j|mj)s$': swc },
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs|jose|openid-client|oauth4webapi)/)'],
  moduleNameMapper: {
    '^entra-emulator$': '<rootDir>/../../packages/entra-emulator/src/index.ts',
    '^entra-emulator/testing$': '<rootDir>/../../packages/entra-emulator/src/testing/index.ts',
    '^nest-identity-web$': '<rootDir>/../../packages/identity-web/src/index.ts',
    '^nest-identity-web/testing$': '<rootDir>/../../packages/identity-web/src/testing/index.ts',
    '^nest-identity-web/express$': '<rootDir>/../../packages/identity-web/src/express/index.ts',
    '^nest-identity-web-graph$': '<rootDir>/../../packages/identity-web-graph/src/index.ts',
    '^nest-identity-web-azure$': '<rootDir>/../../packages/identity-web-azure/src/index.ts',
  },
} satisfies Config;

const config: Config = {
  projects: [
    'packages/entra-emulator',
    'packages/identity-web',
    'packages/identity-web-graph',
    'packages/identity-web-azure',
    'apps/webapp',
    'apps/express-webapp',
    'apps/todo-api',
  ].map((dir) => ({
    ...shared,
    displayName: dir.split('/')[1],
    rootDir: `<rootDir>/${dir}`,
    testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  })),
  testTimeout: 30_000,
};

export default config;
