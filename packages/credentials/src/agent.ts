/**
 * Veramo integration (Node only): key and DID management, and the interoperability reference.
 *
 * `createHakiAgent` composes @veramo/core with the key manager (kms-local, memory stores unless
 * others are given), the DID manager (did:key provider; did:web identifiers are imported), the W3C
 * credential plugin with JWT proofs, an offline DID resolver fed from the trust list, and
 * `EntitlementCredentialPlugin`, whose methods delegate to Haki's fast path (canonical bytes, one
 * signature) instead of Veramo's generic pipeline. Veramo's own `createVerifiableCredential` /
 * `verifyCredential` keep working on the same agent and accept Haki credentials.
 */
import { createAgent, type IAgentContext, type IAgentPlugin, type IPluginMethodMap, type ICredentialPlugin, type IDIDManager, type IIdentifier, type IKeyManager, type IResolver, type TAgent, type CredentialStatus, type VerifiableCredential } from "@veramo/core";
import { CredentialProviderJWT } from "@veramo/credential-jwt";
import { CredentialPlugin } from "@veramo/credential-w3c";
import { AbstractDIDStore, DIDManager, MemoryDIDStore } from "@veramo/did-manager";
import { KeyDIDProvider } from "@veramo/did-provider-key";
import { DIDResolverPlugin } from "@veramo/did-resolver";
import { AbstractKeyStore, KeyManager, MemoryKeyStore, MemoryPrivateKeyStore } from "@veramo/key-manager";
import { KeyManagementSystem } from "@veramo/kms-local";
import { AbstractPrivateKeyStore } from "@veramo/key-manager";
import { Resolver, type DIDDocument } from "did-resolver";
import { base64urlnopad } from "@scure/base";
import { buildEntitlementPayload, serializeEntitlementPayload } from "./canonical";
import { createOfflineResolverRegistry, keyIdForDid } from "./did";
import { KeyInvalidError, KeyMismatchError } from "./errors";
import { exportPrivateJwk, type HakiKeyPair, type SigningKey } from "./keys";
import { serializeJwsHeader } from "./lib/jws";
import type { BitstringStatusListEntry, EntitlementInput } from "./model";
import { signCredential } from "./sign";
import type { TrustList } from "./trust";
import { verifyCredential, type StatusLookup, type VerificationResult, type VerifyCredentialOptions } from "./verify";
import { verifyPresentation, type PresentationVerificationResult, type VerifyPresentationOptions } from "./presentation";

export interface CreateEntitlementCredentialArgs {
  input: EntitlementInput;
}
export interface VerifyEntitlementCredentialArgs {
  credential: string;
  options?: VerifyCredentialOptions;
}
export interface VerifyEntitlementPresentationArgs {
  presentation: string;
  options?: VerifyPresentationOptions;
}

/** The Haki plugin's methods, as agent methods. */
export interface IEntitlementCredentialPlugin extends IPluginMethodMap {
  createEntitlementCredential(args: CreateEntitlementCredentialArgs, context: IAgentContext<IKeyManager & IDIDManager>): Promise<string>;
  verifyEntitlementCredential(args: VerifyEntitlementCredentialArgs, context: IAgentContext<IPluginMethodMap>): Promise<VerificationResult>;
  verifyEntitlementPresentation(args: VerifyEntitlementPresentationArgs, context: IAgentContext<IPluginMethodMap>): Promise<PresentationVerificationResult>;
}

export interface EntitlementCredentialPluginOptions {
  trust: TrustList;
  /** Status lookup used by verification and by Veramo's `checkCredentialStatus`. */
  status?: StatusLookup;
  /** Keys the plugin signs with directly (fast path); other issuers sign through the key manager. */
  signingKeys?: readonly SigningKey[];
}

/**
 * Veramo plugin: Haki's entitlement credential methods on an agent.
 *
 * @example
 * const agent = createAgent({ plugins: [...veramoPlugins, new EntitlementCredentialPlugin({ trust })] });
 * const jwt = await agent.createEntitlementCredential({ input });
 */
export class EntitlementCredentialPlugin implements IAgentPlugin {
  readonly methods: IEntitlementCredentialPlugin;
  private readonly keys = new Map<string, SigningKey>();

  constructor(private readonly options: EntitlementCredentialPluginOptions) {
    for (const k of options.signingKeys ?? []) this.keys.set(k.kid.split("#")[0] ?? k.kid, k);
    const methods: IEntitlementCredentialPlugin = {
      createEntitlementCredential: this.createEntitlementCredential.bind(this),
      verifyEntitlementCredential: this.verifyEntitlementCredential.bind(this),
      verifyEntitlementPresentation: this.verifyEntitlementPresentation.bind(this),
    };
    // Veramo's verifyCredential asks for a status checker whenever a credential has credentialStatus.
    if (options.status) methods.checkCredentialStatus = this.checkCredentialStatus.bind(this);
    this.methods = methods;
  }

  /** Registers a key for the fast path (e.g. after `importHakiKeyPair`). */
  addSigningKey(key: SigningKey): void {
    this.keys.set(key.kid.split("#")[0] ?? key.kid, key);
  }

  private async createEntitlementCredential(
    args: CreateEntitlementCredentialArgs,
    context: IAgentContext<IKeyManager & IDIDManager>,
  ): Promise<string> {
    const own = this.keys.get(args.input.issuer);
    if (own) return signCredential(args.input, own);
    // Key held by Veramo's KMS: same canonical bytes and header, signature from keyManagerSign.
    const identifier = await context.agent.didManagerGet({ did: args.input.issuer });
    const { key, kid } = signingKeyOf(identifier);
    const payloadJson = serializeEntitlementPayload(buildEntitlementPayload(args.input));
    const enc = (s: string) => base64urlnopad.encode(new TextEncoder().encode(s));
    const signingInput = `${enc(serializeJwsHeader(kid))}.${enc(payloadJson)}`;
    const signature = await context.agent.keyManagerSign({ keyRef: key.kid, data: signingInput, encoding: "utf-8", algorithm: "EdDSA" });
    return `${signingInput}.${signature}`;
  }

  private async verifyEntitlementCredential(args: VerifyEntitlementCredentialArgs): Promise<VerificationResult> {
    return verifyCredential(args.credential, this.options.trust, { status: this.options.status, ...args.options });
  }

  private async verifyEntitlementPresentation(args: VerifyEntitlementPresentationArgs): Promise<PresentationVerificationResult> {
    return verifyPresentation(args.presentation, this.options.trust, { status: this.options.status, ...args.options });
  }

  private async checkCredentialStatus(args: { credential: VerifiableCredential }): Promise<CredentialStatus> {
    const raw: unknown = args.credential.credentialStatus;
    const entries = (Array.isArray(raw) ? raw : raw ? [raw] : []) as BitstringStatusListEntry[];
    let revoked = false;
    let verified = true;
    for (const e of entries) {
      const bit = this.options.status?.(e);
      if (bit === true) revoked = true;
      if (bit === undefined) verified = false;
    }
    return { revoked, verified };
  }
}

function signingKeyOf(identifier: IIdentifier): { key: IIdentifier["keys"][number]; kid: string } {
  const key = identifier.keys.find((k) => k.type === "Ed25519");
  if (!key) throw new KeyInvalidError(`${identifier.did} has no Ed25519 key.`);
  if (key.kid.startsWith(`${identifier.did}#`)) return { key, kid: key.kid };
  if (identifier.did.startsWith("did:key:")) return { key, kid: keyIdForDid(identifier.did) };
  throw new KeyMismatchError(`Key ${key.kid} of ${identifier.did} has no DID URL as kid.`);
}

export interface CreateHakiAgentOptions extends EntitlementCredentialPluginOptions {
  /** did:web documents to resolve besides the trust list (e.g. the issuer's own). */
  documents?: readonly DIDDocument[];
  /** Persistent stores (e.g. @veramo/data-store); memory stores by default. */
  keyStore?: AbstractKeyStore;
  privateKeyStore?: AbstractPrivateKeyStore;
  didStore?: AbstractDIDStore;
}

export type HakiAgent = TAgent<IKeyManager & IDIDManager & IResolver & ICredentialPlugin & IEntitlementCredentialPlugin> & {
  /** The Haki plugin, to register fast-path keys. */
  readonly entitlements: EntitlementCredentialPlugin;
};

/**
 * A Veramo agent set up for Haki: offline DID resolution from the trust list, JWT proofs, Ed25519.
 *
 * @example
 * const agent = await createHakiAgent({ trust });
 * const issuer = await agent.didManagerCreate({ provider: "did:key", options: { keyType: "Ed25519" } });
 * const jwt = await agent.createEntitlementCredential({ input: { ...input, issuer: issuer.did } });
 */
export async function createHakiAgent(options: CreateHakiAgentOptions): Promise<HakiAgent> {
  const entitlements = new EntitlementCredentialPlugin(options);
  const registry = createOfflineResolverRegistry(options.trust, options.documents);
  const agent = createAgent<IKeyManager & IDIDManager & IResolver & ICredentialPlugin & IEntitlementCredentialPlugin>({
    plugins: [
      new KeyManager({
        store: options.keyStore ?? new MemoryKeyStore(),
        kms: { local: new KeyManagementSystem(options.privateKeyStore ?? new MemoryPrivateKeyStore()) },
      }),
      new DIDManager({
        store: options.didStore ?? new MemoryDIDStore(),
        defaultProvider: "did:key",
        providers: { "did:key": new KeyDIDProvider({ defaultKms: "local" }) },
      }),
      new DIDResolverPlugin({ resolver: new Resolver(registry) }),
      new CredentialPlugin([new CredentialProviderJWT()]),
      entitlements,
    ],
  });
  return Object.assign(agent, { entitlements });
}

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

/**
 * Imports an extractable Haki key pair into the agent's KMS as a DID (did:key, or the key pair's
 * did:web), and registers it for the fast path. Veramo's own credential methods can then sign with it.
 *
 * @example
 * const issuer = withIdentifier(await generateKeyPair(), "did:web:haki.example.org", "key-1");
 * await importHakiKeyPair(agent, issuer);
 */
export async function importHakiKeyPair(agent: HakiAgent, keyPair: HakiKeyPair): Promise<IIdentifier> {
  const jwk = await exportPrivateJwk(keyPair);
  const seed = base64urlnopad.decode(jwk.d);
  const pub = base64urlnopad.decode(jwk.x);
  const privateKeyHex = hex(seed) + hex(pub);
  const identifier = await agent.didManagerImport({
    did: keyPair.did,
    provider: keyPair.did.startsWith("did:key:") ? "did:key" : "did:web",
    controllerKeyId: keyPair.kid,
    keys: [{ kid: keyPair.kid, kms: "local", type: "Ed25519", publicKeyHex: hex(pub), privateKeyHex }],
    services: [],
  });
  agent.entitlements.addSigningKey(keyPair);
  return identifier;
}
