/** @type {import('jest').Config} */
module.exports = {
  preset: "ts-jest",
  testEnvironment: "node",
  roots: ["<rootDir>/tests"],
  // The forwarder is serialized into state by Pulumi; coverage counters would be captured with it.
  coveragePathIgnorePatterns: ["/node_modules/", "<rootDir>/sdk/forwarder.ts"],
  testTimeout: 60000,
  // Most suites wait on child processes (programs, provider hosts) rather than compute: three
  // workers keep both cores of the CI machine busy (jest's default would be one).
  maxWorkers: 3,
};
