import { base64urlnopad } from "@scure/base";

const enc = new TextEncoder();
const dec = new TextDecoder("utf-8", { fatal: true });

export const utf8 = (s: string): Uint8Array => enc.encode(s);
export const fromUtf8 = (b: Uint8Array): string => dec.decode(b);
export const b64url = (b: Uint8Array): string => base64urlnopad.encode(b);
export const fromB64url = (s: string): Uint8Array => base64urlnopad.decode(s);
