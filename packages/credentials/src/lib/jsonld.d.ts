// Minimal typings for the JSON-LD test (the packages ship none).
declare module "jsonld" {
  interface RemoteDocument {
    contextUrl: string | null;
    documentUrl: string;
    document: unknown;
  }
  const jsonld: {
    expand(input: unknown, options: { documentLoader: (url: string) => Promise<RemoteDocument>; safe?: boolean }): Promise<unknown[]>;
  };
  // eslint-disable-next-line no-restricted-syntax -- describes jsonld's own default export
  export default jsonld;
}
declare module "credentials-context" {
  export const contexts: Map<string, unknown>;
  export const CONTEXT_URL: string;
}
declare module "@digitalbazaar/credentials-context" {
  export const contexts: Map<string, unknown>;
}
declare module "@digitalbazaar/vc-bitstring-status-list-context" {
  export const CONTEXT: unknown;
  export const CONTEXT_URL: string;
}
