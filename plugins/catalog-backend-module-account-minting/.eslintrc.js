module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  rules: {
    // The tests run the account-minting backend, through its plugin and test utilities.
    '@backstage/no-mixed-plugin-imports': [
      'warn',
      { excludedFiles: ['**/*.test.ts', '**/src/__testUtils__/**'] },
    ],
  },
});
