import { AccountMintingApiSchema } from '@regional-minting/plugin-account-minting-common';

// The typed server: the spec's operations as the endpoint map of
// createValidatedOpenApiRouterFromGeneratedEndpointMap (what repo-tools generates
// with openapi-generator), built from the types generated from the spec.

type Paths = AccountMintingApiSchema.paths;
type Method = 'get' | 'post' | 'patch';

/** A JSON body of a request or response, if it has one. */
type JsonOf<T> = T extends { content: { 'application/json': infer Body } }
  ? Body
  : undefined;

/** What a generated parameter group is, as Express sees it: none is an empty object. */
type Group<T> = [NonNullable<T>] extends [never] ? {} : NonNullable<T>;

type EndpointOf<Operation> = Operation extends {
  parameters: infer Parameters extends { query?: unknown; path?: unknown };
  responses: infer Responses;
}
  ? {
      path: Group<Parameters['path']>;
      query: Group<Parameters['query']>;
      body: Operation extends { requestBody: infer Body } ? JsonOf<Body> : {};
      response: {
        [Status in keyof Responses]: JsonOf<Responses[Status]>;
      }[keyof Responses];
    }
  : never;

/** Every operation of the spec, keyed `#<method>|<path>`. */
export type EndpointMap = {
  [Key in {
    [P in keyof Paths & string]: {
      [M in Method]: Paths[P][M] extends object ? `#${M}|${P}` : never;
    }[Method];
  }[keyof Paths &
    string]]: Key extends `#${infer M extends Method}|${infer P extends keyof Paths &
    string}`
    ? EndpointOf<Paths[P][M]>
    : never;
};
