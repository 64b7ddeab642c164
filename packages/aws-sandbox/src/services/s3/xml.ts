import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import { AwsError } from '../../errors';

export const S3_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';

const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

// Values stay strings (parseTagValue: false) so that the schemas, not the parser,
// decide what a value means; namespaces are dropped since S3 accepts bodies with
// or without its namespace.
const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  trimValues: true,
});

const builder = new XMLBuilder({
  ignoreAttributes: false,
  suppressEmptyNode: false,
});

/**
 * Parses an XML body whose root element must be `rootName`, returning the root's
 * content: an object of child elements (repeated children become arrays), or `{}`
 * for an empty root. @throws Error saying what is wrong with the document.
 */
export function parseXmlDocument(
  text: string,
  rootName: string,
): Record<string, unknown> {
  if (text.trim() === '') {
    throw new Error(`the body is empty; it must be a <${rootName}> document`);
  }
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new Error(
      `not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`,
    );
  }
  const document = parser.parse(text) as Record<string, unknown>;
  const roots = Object.keys(document);
  if (roots.length !== 1 || roots[0] !== rootName) {
    throw new Error(
      `the root element must be <${rootName}>, not ${
        roots.map(r => `<${r}>`).join(', ') || 'nothing'
      }`,
    );
  }
  const content = document[rootName];
  if (content === '') return {};
  if (
    typeof content !== 'object' ||
    content === null ||
    Array.isArray(content)
  ) {
    throw new Error(`<${rootName}> must contain elements, not text`);
  }
  return content as Record<string, unknown>;
}

/**
 * A success document: `content`'s members become child elements of `rootName`,
 * in S3's namespace. Undefined members are left out; arrays become repeated elements.
 */
export function xmlDocument(
  rootName: string,
  content: Record<string, unknown>,
): string {
  return (
    DECLARATION +
    builder.build({ [rootName]: { '@_xmlns': S3_NAMESPACE, ...content } })
  );
}

/** An S3 error document: `<Error>` with Code, Message, the error's extra members and RequestId. */
export function xmlErrorDocument(error: AwsError, requestId: string): string {
  return (
    DECLARATION +
    builder.build({
      Error: {
        Code: error.code,
        Message: error.message,
        ...error.fields,
        RequestId: requestId,
      },
    })
  );
}
