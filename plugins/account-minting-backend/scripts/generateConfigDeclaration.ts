import { writeFileSync } from 'fs';
import { resolve } from 'path';
import { configDeclaration } from '../src/config/configDeclaration';

// config.d.ts from the zod schema of src/config/mintingConfig.ts; see configDeclaration.
writeFileSync(resolve(__dirname, '../config.d.ts'), configDeclaration());
