/**
 * A small OpenID4VCI issuer for the browser tests, built from the same handlers the issuer app
 * mounts (@haki/openid4vci/server) and signing with @haki/credentials/sign. It runs on 127.0.0.1
 * with a did:key issuer key and answers CORS, as the wallet calls it from another origin.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { generateKeyPair, type HakiKeyPair } from "@haki/credentials/keys";
import type { EntitlementSubject } from "@haki/credentials/model";
import { signCredential } from "@haki/credentials/sign";
import { createMemoryOfferStore } from "@haki/openid4vci/memory-store";
import { allowInsecureUrls, type IssuerConfig } from "@haki/openid4vci/metadata";
import { createStatusList, setStatus, type StatusList } from "@haki/status-list/bitstring";
import { buildStatusListCredential, signStatusListCredential } from "@haki/status-list/credential";
import {
  handleAuthorizationServerMetadataRequest,
  handleCredentialRequest,
  handleIssuerMetadataRequest,
  handleNonceRequest,
  handleTokenRequest,
  registerOffer,
  type HandlerResponse,
  type RegisteredOffer,
} from "@haki/openid4vci/server";

export const SUBJECT: EntitlementSubject = {
  beneficiary: "BEN-0001",
  programme: { id: "food-2027", name: "Food support" },
  cycle: "2027-03",
  benefit: { type: "Cash", amount: 3000, currency: "KES" },
  redemption: "single",
  area: "KE-047",
};

export interface TestIssuer {
  url: string;
  key: HakiKeyPair;
  offer: (args: { walletUrl: string; txCodeLength?: number; expiresInSeconds?: number }) => Promise<RegisteredOffer>;
  /** Sets the status bit of the n-th credential issued (0-based) in one list. */
  setStatus: (purpose: "revocation" | "suspension", index: number) => void;
  /** How many credentials were issued so far. */
  issued: () => number;
  close: () => Promise<void>;
}

const CORS = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "GET, POST, OPTIONS",
  "access-control-allow-headers": "authorization, content-type, dpop",
};

async function toRequest(req: IncomingMessage, base: string): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const body = chunks.length ? Buffer.concat(chunks) : undefined;
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
  return new Request(new URL(req.url ?? "/", base), { method: req.method ?? "GET", headers, ...(body && req.method !== "GET" ? { body } : {}) });
}

function send(res: ServerResponse, r: HandlerResponse): void {
  res.writeHead(r.status, { ...r.headers, ...CORS });
  res.end(r.body === undefined ? "" : JSON.stringify(r.body));
}

/**
 * Starts the issuer; `offer()` registers a fresh single-use offer (with a PIN when asked). Cards
 * are valid from a day ago until 30 days from now, or from `validFromDays` until `validUntilDays`
 * (days from now; a cycle that starts later, or one that has ended).
 */
export async function startTestIssuer(options: { validFromDays?: number; validUntilDays?: number } = {}): Promise<TestIssuer> {
  allowInsecureUrls(true);
  const key = await generateKeyPair();
  const store = createMemoryOfferStore();
  let config: IssuerConfig = { credentialIssuer: "http://127.0.0.1:0" };
  let index = 0;
  const lists: Record<"revocation" | "suspension", StatusList> = { revocation: createStatusList(), suspension: createStatusList() };
  const statusJwt = (purpose: "revocation" | "suspension") =>
    signStatusListCredential(
      buildStatusListCredential({
        url: `${config.credentialIssuer}/status/${purpose}`,
        issuer: key.did,
        purpose,
        list: lists[purpose],
        validUntil: new Date(Date.now() + 3_600_000),
      }),
      key,
    );
  const deps = () => ({
    config,
    store,
    issueCredential: async ({ holderDid }: { holderDid: string }) => {
      const now = Date.now();
      return signCredential(
        {
          issuer: key.did,
          holder: holderDid,
          id: `urn:uuid:${crypto.randomUUID()}`,
          subject: SUBJECT,
          validFrom: new Date(now + (options.validFromDays ?? -1) * 86_400_000),
          validUntil: new Date(now + (options.validUntilDays ?? 30) * 86_400_000),
          status: {
            revocationList: `${config.credentialIssuer}/status/revocation`,
            suspensionList: `${config.credentialIssuer}/status/suspension`,
            index: index++,
          },
        },
        key,
      );
    },
  });
  const server = createServer((req, res) => {
    void (async () => {
      if (req.method === "OPTIONS") {
        res.writeHead(204, CORS);
        res.end();
        return;
      }
      const path = new URL(req.url ?? "/", "http://x").pathname;
      const request = await toRequest(req, config.credentialIssuer);
      switch (path) {
        case "/.well-known/openid-credential-issuer":
          return send(res, handleIssuerMetadataRequest(config));
        case "/.well-known/oauth-authorization-server":
          return send(res, handleAuthorizationServerMetadataRequest(config));
        case "/api/oid4vci/token":
          return send(res, await handleTokenRequest(request, deps()));
        case "/api/oid4vci/nonce":
          return send(res, await handleNonceRequest(request, deps()));
        case "/api/oid4vci/credential":
          return send(res, await handleCredentialRequest(request, deps()));
        case "/status/revocation":
        case "/status/suspension": {
          res.writeHead(200, { "content-type": "application/vc+jwt", ...CORS });
          res.end(await statusJwt(path.endsWith("revocation") ? "revocation" : "suspension"));
          return;
        }
        default:
          res.writeHead(404, CORS);
          res.end();
      }
    })().catch((e: unknown) => {
      res.writeHead(500, CORS);
      res.end(String(e));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  config = { credentialIssuer: url, display: [{ name: "Ministry of Social Protection (test)", locale: "en" }] };
  return {
    url,
    key,
    offer: ({ walletUrl, txCodeLength, expiresInSeconds }) =>
      registerOffer({
        config,
        store,
        id: `ent-${crypto.randomUUID()}`,
        expiresAt: new Date(Date.now() + (expiresInSeconds ?? 600) * 1000),
        ...(txCodeLength ? { txCodeLength } : {}),
        walletUrl,
      }),
    setStatus: (purpose, i) => {
      lists[purpose] = setStatus(lists[purpose], i);
    },
    issued: () => index,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
