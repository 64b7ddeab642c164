/**
 * The `aws-chunked` content encoding, in which the AWS SDKs stream object bodies:
 * since SDK v3 computes flexible checksums by default, a PutObject whose body is a
 * stream arrives as
 *
 *   hex-size[;chunk-signature=…]\r\n  bytes\r\n  …  0[;chunk-signature=…]\r\n
 *   [trailer-name:value\r\n]…  \r\n
 *
 * with the checksum (`x-amz-checksum-crc32:…`) and, for signed streams, the
 * `x-amz-trailer-signature` as trailers. The sandbox checks no signatures, so the
 * chunk signatures are skipped.
 */

const CRLF = Buffer.from('\r\n');

/** An `aws-chunked` body that does not follow the framing. */
export class ChunkedBodyError extends Error {}

export interface DecodedChunkedBody {
  /** The object bytes, the chunks joined. */
  payload: Buffer;
  /** The trailer headers, by lower-case name. */
  trailers: Record<string, string>;
}

/** Whether a request's body is `aws-chunked`, from its headers. */
export function isAwsChunked(
  contentEncoding?: string,
  contentSha256?: string,
): boolean {
  // The SDKs name the encoding in Content-Encoding; the STREAMING-* payload hash
  // says the same, and some clients send only that.
  const encodings = (contentEncoding ?? '')
    .split(',')
    .map(e => e.trim().toLowerCase());
  return (
    encodings.includes('aws-chunked') ||
    (contentSha256 ?? '').startsWith('STREAMING-')
  );
}

/** Reads one CRLF-terminated line from `offset`: its text and where the next line starts. */
function readLine(data: Buffer, offset: number, what: string) {
  const end = data.indexOf(CRLF, offset);
  if (end < 0)
    throw new ChunkedBodyError(`the ${what} is not terminated by CRLF`);
  return {
    line: data.toString('latin1', offset, end),
    next: end + CRLF.length,
  };
}

/** Decodes an `aws-chunked` body. @throws ChunkedBodyError when the framing is broken. */
export function decodeAwsChunked(data: Buffer): DecodedChunkedBody {
  const chunks: Buffer[] = [];
  let offset = 0;
  for (let index = 0; ; index++) {
    const header = readLine(data, offset, `header of chunk ${index}`);
    const sizeText = header.line.split(';', 1)[0].trim();
    if (!/^[0-9a-fA-F]{1,16}$/.test(sizeText)) {
      throw new ChunkedBodyError(
        `chunk ${index} does not start with a hexadecimal size: ${JSON.stringify(
          header.line.slice(0, 40),
        )}`,
      );
    }
    const size = parseInt(sizeText, 16);
    offset = header.next;
    if (size === 0) break;
    if (offset + size + CRLF.length > data.length) {
      throw new ChunkedBodyError(
        `chunk ${index} declares ${size} bytes but the body ends first`,
      );
    }
    chunks.push(data.subarray(offset, offset + size));
    offset += size;
    if (!data.subarray(offset, offset + CRLF.length).equals(CRLF)) {
      throw new ChunkedBodyError(
        `chunk ${index} is longer than its declared ${size} bytes`,
      );
    }
    offset += CRLF.length;
  }

  const trailers: Record<string, string> = {};
  // Trailers end with an empty line; tolerate a body that stops right after them.
  while (offset < data.length) {
    const { line, next } = readLine(data, offset, 'trailer section');
    offset = next;
    if (line === '') break;
    const colon = line.indexOf(':');
    if (colon <= 0) {
      throw new ChunkedBodyError(
        `trailer ${JSON.stringify(line.slice(0, 40))} is not a header`,
      );
    }
    trailers[line.slice(0, colon).trim().toLowerCase()] = line
      .slice(colon + 1)
      .trim();
  }
  if (offset < data.length) {
    throw new ChunkedBodyError(
      'there are bytes after the end of the chunked body',
    );
  }
  return { payload: Buffer.concat(chunks), trailers };
}
