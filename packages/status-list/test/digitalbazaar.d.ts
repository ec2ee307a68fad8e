// Types for the independent implementation the tests cross-check against (it ships none).
declare module "@digitalbazaar/vc-bitstring-status-list" {
  export class BitstringStatusList {
    constructor(options: { length?: number; buffer?: Uint8Array });
    readonly length: number;
    setStatus(index: number, status: boolean): void;
    getStatus(index: number): boolean;
    encode(): Promise<string>;
    static decode(options: { encodedList: string }): Promise<BitstringStatusList>;
  }
}
declare module "@digitalbazaar/vc-bitstring-status-list" {
  export function statusTypeMatches(options: { credential: unknown }): boolean;
  export function getCredentialStatus(options: { credential: unknown; statusPurpose: string }): { statusListIndex: string; statusListCredential: string };
  export function checkStatus(options: {
    credential: unknown;
    documentLoader: (url: string) => Promise<{ document: unknown }>;
    verifyBitstringStatusListCredential?: boolean;
    verifyMatchingIssuers?: boolean;
  }): Promise<{ verified: boolean; error?: Error; results?: { credentialStatus: { statusPurpose: string }; status: boolean }[] }>;
}
