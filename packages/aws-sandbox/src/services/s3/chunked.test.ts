import { ChunkedBodyError, decodeAwsChunked, isAwsChunked } from './chunked';

describe('aws-chunked bodies', () => {
  it('joins the chunks and reads the trailers', () => {
    const body = Buffer.from(
      '4\r\nab\r\n\r\n3;chunk-signature=abc\r\ncde\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\nx-amz-trailer-signature:ff\r\n\r\n',
    );
    expect(decodeAwsChunked(body)).toEqual({
      payload: Buffer.from('ab\r\ncde'),
      trailers: {
        'x-amz-checksum-crc32': 'AAAAAA==',
        'x-amz-trailer-signature': 'ff',
      },
    });
  });

  it('accepts an empty body and a body that ends right after the last chunk', () => {
    expect(decodeAwsChunked(Buffer.from('0\r\n\r\n')).payload).toHaveLength(0);
    expect(
      decodeAwsChunked(Buffer.from('1\r\nx\r\n0\r\n')).payload.toString(),
    ).toBe('x');
  });

  it.each([
    ['zz\r\nab\r\n0\r\n\r\n', 'hexadecimal size'],
    ['2\r\nabc\r\n0\r\n\r\n', 'longer than its declared 2 bytes'],
    ['9\r\nabc\r\n', 'declares 9 bytes'],
    ['2\r\nab\r\n', 'header of chunk 1'],
    ['0\r\nnot a header\r\n\r\n', 'is not a header'],
    ['0\r\n\r\nextra', 'bytes after the end'],
  ])('refuses %j', (text, problem) => {
    expect(() => decodeAwsChunked(Buffer.from(text))).toThrow(ChunkedBodyError);
    expect(() => decodeAwsChunked(Buffer.from(text))).toThrow(problem);
  });

  it('recognises the encoding from Content-Encoding or the streaming payload hash', () => {
    expect(isAwsChunked('aws-chunked', undefined)).toBe(true);
    expect(isAwsChunked('gzip, aws-chunked', undefined)).toBe(true);
    expect(isAwsChunked(undefined, 'STREAMING-UNSIGNED-PAYLOAD-TRAILER')).toBe(
      true,
    );
    expect(isAwsChunked('gzip', 'UNSIGNED-PAYLOAD')).toBe(false);
  });
});
