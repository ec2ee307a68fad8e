/**
 * Credential offers (OpenID4VCI section 4.1) for the pre-authorised code flow: the object, the
 * `openid-credential-offer://` URI the QR carries, and a web link the wallet opens.
 */
import { preAuthorizedCodeGrantIdentifier } from "@openid4vc/oauth2";
import { Openid4vciIssuer, type CredentialOfferObject } from "@openid4vc/openid4vci";
import * as z from "zod";
import { generateRandomCallback, serverCallbacks } from "./lib/callbacks";
import { randomToken } from "./lib/crypto";
import { issuerMetadataResult, resolveIssuerConfig, type IssuerConfig } from "./metadata";

export type { CredentialOfferObject } from "@openid4vc/openid4vci";

const TxCodeSpecSchema = z.object({
  length: z.number().int().min(4).max(12),
  inputMode: z.enum(["numeric", "text"]).default("numeric"),
  /** Shown by the wallet beside the PIN box, e.g. "The PIN on the letter from the programme office". */
  description: z.string().max(300).optional(),
});

export const CreateCredentialOfferArgsSchema = z.object({
  /** The issuer configuration (as for the metadata); or give only `credentialIssuer`. */
  config: z.custom<IssuerConfig>((v) => typeof v === "object" && v !== null).optional(),
  credentialIssuer: z.url().optional(),
  preAuthorizedCode: z.string().min(16),
  /** Describes the PIN the wallet must ask for; the PIN itself never goes into the offer. */
  txCode: TxCodeSpecSchema.optional(),
  /** Wallet page that receives offers, e.g. "https://wallet.haki.example/receive". */
  walletUrl: z.url().optional(),
  /** Which configuration to offer (default the config's `jwt_vc_json` one). */
  credentialConfigurationId: z.string().min(1).optional(),
});
export type CreateCredentialOfferArgs = z.input<typeof CreateCredentialOfferArgsSchema>;

export interface CreatedCredentialOffer {
  offer: CredentialOfferObject;
  /** `openid-credential-offer://?credential_offer=...`: what the QR code holds. */
  offerUri: string;
  /** `<walletUrl>?credential_offer=...`, or `offerUri` when no wallet URL is set. */
  link: string;
}

/**
 * Builds a credential offer by value with a pre-authorised code grant.
 * @example
 * const { offerUri, link } = await createCredentialOffer({
 *   credentialIssuer: "https://issuer.haki.example", // or config: IssuerConfig
 *   preAuthorizedCode: generatePreAuthorizedCode(),
 *   txCode: { length: 6 },
 *   walletUrl: "https://wallet.haki.example/receive",
 * });
 */
export async function createCredentialOffer(args: CreateCredentialOfferArgs): Promise<CreatedCredentialOffer> {
  const { config: given, credentialIssuer, preAuthorizedCode, txCode, walletUrl, credentialConfigurationId } = CreateCredentialOfferArgsSchema.parse(args);
  if (!given && !credentialIssuer) throw new TypeError("createCredentialOffer needs config or credentialIssuer.");
  const config: IssuerConfig = given ?? { credentialIssuer: credentialIssuer as string };
  const resolved = resolveIssuerConfig(config);
  const issuer = new Openid4vciIssuer({ callbacks: serverCallbacks });
  const { credentialOffer, credentialOfferObject } = await issuer.createCredentialOffer({
    issuerMetadata: issuerMetadataResult(config),
    credentialConfigurationIds: [credentialConfigurationId ?? resolved.credentialConfigurationId],
    grants: {
      [preAuthorizedCodeGrantIdentifier]: {
        "pre-authorized_code": preAuthorizedCode,
        ...(txCode
          ? { tx_code: { length: txCode.length, input_mode: txCode.inputMode, ...(txCode.description ? { description: txCode.description } : {}) } }
          : {}),
      },
    },
  });
  const query = credentialOffer.slice(credentialOffer.indexOf("?"));
  return { offer: credentialOfferObject, offerUri: credentialOffer, link: walletUrl ? `${walletUrl}${query}` : credentialOffer };
}

/**
 * A fresh pre-authorised code: 256 random bits, base64url.
 * @example
 * const code = generatePreAuthorizedCode(); // "q3Jv...43 chars"
 */
export function generatePreAuthorizedCode(): string {
  return randomToken();
}

/**
 * A fresh numeric PIN (transaction code) of `length` digits, without modulo bias.
 * @example
 * const pin = await generateTxCode(6); // "049317"
 */
export async function generateTxCode(length = 6): Promise<string> {
  let pin = "";
  while (pin.length < length) {
    for (const byte of await generateRandomCallback(length)) {
      // 250 = 25 * 10: bytes from 250 up would favour 0-5.
      if (byte < 250 && pin.length < length) pin += String(byte % 10);
    }
  }
  return pin;
}
