module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  rules: {
    // A test runs the account-minting backend, through its plugin's test utilities.
    '@backstage/no-mixed-plugin-imports': [
      'warn',
      { excludedFiles: ['**/*.test.ts'] },
    ],
  },
});
