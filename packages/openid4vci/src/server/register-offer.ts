/** The office's side: a credential offer for one beneficiary, its secrets stored only as hashes. */
import { IssuanceError } from "../errors";
import { credentialFormatOf, resolveIssuerConfig, type IssuerConfig } from "../metadata";
import { createCredentialOffer, generatePreAuthorizedCode, generateTxCode, type CreatedCredentialOffer } from "../offer";
import { hashSecret, type OfferStore } from "../store";

export interface RegisteredOffer extends CreatedCredentialOffer {
  /** The PIN to hand out separately (letter, SMS, counter), or undefined when none was asked. */
  txCode: string | undefined;
  expiresAt: Date;
}

/**
 * Creates an offer for one beneficiary: a fresh code (and PIN when `txCodeLength` is set), their
 * hashes saved in the store, and the offer URI / link to print or send.
 * @example
 * const { offerUri, link, txCode } = await registerOffer({
 *   config, store, id: entitlement.id, expiresAt: addDays(now, 14), txCodeLength: 6,
 *   walletUrl: "https://wallet.haki.example/receive",
 * });
 */
export async function registerOffer(args: {
  config: IssuerConfig;
  store: OfferStore;
  id: string;
  expiresAt: Date;
  txCodeLength?: number;
  txCodeDescription?: string;
  walletUrl?: string;
  /** Which configuration to offer (the SD-JWT VC one, say); default the `jwt_vc_json` one. */
  credentialConfigurationId?: string;
}): Promise<RegisteredOffer> {
  const config = resolveIssuerConfig(args.config);
  const credentialConfigurationId = args.credentialConfigurationId ?? config.credentialConfigurationId;
  if (!credentialFormatOf(args.config, credentialConfigurationId)) throw new IssuanceError("ERR_UNKNOWN_CREDENTIAL_CONFIGURATION");
  const preAuthorizedCode = generatePreAuthorizedCode();
  const txCode = args.txCodeLength ? await generateTxCode(args.txCodeLength) : undefined;
  const created = await createCredentialOffer({
    config: args.config,
    preAuthorizedCode,
    ...(args.txCodeLength ? { txCode: { length: args.txCodeLength, inputMode: "numeric" as const, description: args.txCodeDescription } } : {}),
    ...(args.walletUrl ? { walletUrl: args.walletUrl } : {}),
    credentialConfigurationId,
  });
  await args.store.createOffer({
    offer: {
      id: args.id,
      credentialConfigurationId,
      codeHash: await hashSecret(preAuthorizedCode),
      txCodeHash: txCode ? await hashSecret(txCode) : null,
      expiresAt: args.expiresAt,
    },
  });
  return { ...created, txCode, expiresAt: args.expiresAt };
}
