/**
 * Pages through a list with an opaque token, as AWS list calls do. The token names
 * the list it belongs to, so a token from one listing is refused by another.
 */
export function page<T>(
  items: T[],
  listKey: string,
  token: string | undefined,
  pageSize: number,
  invalidToken: () => Error,
): { items: T[]; nextToken?: string } {
  let offset = 0;
  if (token !== undefined) {
    try {
      const decoded = JSON.parse(
        Buffer.from(token, 'base64url').toString('utf8'),
      );
      if (
        decoded.k !== listKey ||
        !Number.isInteger(decoded.o) ||
        decoded.o < 0
      ) {
        throw new Error('foreign token');
      }
      offset = decoded.o;
    } catch {
      throw invalidToken();
    }
  }
  const end = offset + pageSize;
  return {
    items: items.slice(offset, end),
    nextToken:
      end < items.length
        ? Buffer.from(JSON.stringify({ k: listKey, o: end })).toString(
            'base64url',
          )
        : undefined,
  };
}
