import { z } from 'zod';
import { mintingConfigSchema } from './mintingConfig';

/** The part of a JSON schema from zod that a config.d.ts declaration needs. */
interface JsonSchema {
  type?: string;
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  description?: string;
  default?: unknown;
  visibility?: string;
  tsType?: { name: string; from: string };
}

const WIDTH = 100;

/**
 * A JSDoc comment: the key's description, its default where the schema has a plain one (so that
 * the text cannot disagree with the value), and its visibility for Backstage.
 */
function docComment(schema: JsonSchema, indent: string): string[] {
  const text = [schema.description];
  if (
    typeof schema.default === 'string' ||
    typeof schema.default === 'number'
  ) {
    text.push(`Default ${schema.default}.`);
  }
  const sentence = text.filter(Boolean).join(' ');
  const tags = schema.visibility ? [`@visibility ${schema.visibility}`] : [];
  if (!sentence && tags.length === 0) return [];
  const single = `${indent}/** ${[sentence, ...tags]
    .filter(Boolean)
    .join(' ')} */`;
  if (tags.length === 0 && single.length <= WIDTH) return [single];
  const lines: string[] = [];
  let line = '';
  for (const word of sentence.split(' ').filter(Boolean)) {
    if (line && `${indent} * ${line} ${word}`.length > WIDTH) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return [
    `${indent}/**`,
    ...[...lines, ...tags].map(l => `${indent} * ${l}`),
    `${indent} */`,
  ];
}

function typeOf(
  schema: JsonSchema,
  indent: string,
  imports: Map<string, string>,
): string {
  if (schema.tsType) {
    imports.set(schema.tsType.name, schema.tsType.from);
    return schema.tsType.name;
  }
  if (schema.enum) return schema.enum.map(v => `'${v}'`).join(' | ');
  switch (schema.type) {
    case 'string':
    case 'boolean':
      return schema.type;
    case 'number':
    case 'integer':
      return 'number';
    case 'array': {
      const item = typeOf(schema.items ?? {}, indent, imports);
      return item.startsWith('{') ? `Array<${item}>` : `${item}[]`;
    }
    case 'object':
      if (schema.properties) {
        return objectType(schema, indent, imports);
      }
      return `{ [key: string]: ${typeOf(
        typeof schema.additionalProperties === 'object'
          ? schema.additionalProperties
          : {},
        indent,
        imports,
      )} }`;
    default:
      return 'unknown';
  }
}

function objectType(
  schema: JsonSchema,
  indent: string,
  imports: Map<string, string>,
): string {
  const inner = `${indent}  `;
  const members = Object.entries(schema.properties ?? {}).flatMap(
    ([key, property]) => [
      ...docComment(property, inner),
      `${inner}${key}${schema.required?.includes(key) ? '' : '?'}: ${typeOf(
        property,
        inner,
        imports,
      )};`,
    ],
  );
  return `{\n${members.join('\n')}\n${indent}}`;
}

/**
 * The text of config.d.ts, generated from the zod schema that reads the configuration:
 * `yarn generate:config` writes it, and a test fails while the committed file differs.
 */
export function configDeclaration(): string {
  // The input side: a key with a default is optional to whoever writes the configuration.
  const root = z.toJSONSchema(mintingConfigSchema, {
    io: 'input',
    unrepresentable: 'any',
  }) as JsonSchema;
  const imports = new Map<string, string>();
  const body = [
    'export interface Config {',
    ...docComment(root, '  '),
    `  accountMinting?: ${objectType(root, '  ', imports)};`,
    '}',
  ];
  return [
    '// Generated from src/config/mintingConfig.ts by `yarn generate:config`: edit the schema there.',
    ...[...imports].map(([name, from]) => `import { ${name} } from '${from}';`),
    '',
    ...body,
    '',
  ].join('\n');
}
