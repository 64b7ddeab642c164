import { readFileSync } from 'fs';
import { resolve } from 'path';
import { configDeclaration } from './configDeclaration';

describe('config.d.ts', () => {
  it('is the one generated from the schema that reads the configuration (yarn generate:config)', () => {
    expect(readFileSync(resolve(__dirname, '../../config.d.ts'), 'utf8')).toBe(
      configDeclaration(),
    );
  });
});
