/**
 * A small OpenID4VCI issuer for the browser tests, built from the same handlers the issuer app
 * mounts (@haki/openid4vci/server) and signing with @haki/credentials/sign. It runs on 127.0.0.1
 * with a did:key issuer key and answers CORS, as the wallet calls it from another origin. It also
 * answers the wallet's card-state requests, checked with @haki/card-state as the issuer app does.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { afterAll, beforeAll } from "vitest";
import type { Browser } from "playwright-core";
import { verifyCardStateRequest } from "@haki/card-state/request";
import type { CardState, CardStateResponse, HandOver } from "@haki/card-state/response";
import type { AddressInfo } from "node:net";
import { launchChromium } from "./support";
import { generateKeyPair, type HakiKeyPair } from "@haki/credentials/keys";
import type { EntitlementSubject } from "@haki/credentials/model";
import { signCredential } from "@haki/credentials/sign";
import { DEMO_SUBJECT } from "@haki/credentials/testing";
import { createMemoryOfferStore } from "@haki/openid4vci/memory-store";
import { allowInsecureUrls, type IssuerConfig } from "@haki/openid4vci/metadata";
import { createStatusList, getStatus, setStatus, type StatusList } from "@haki/status-list/bitstring";
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

/** What the office says about a card beyond its status bits. */
export interface OfficeRecord {
  handOvers: HandOver[];
  reason?: CardState["reason"];
}

export const CONTACT = "Call 0800 720 720 (free)";

export interface TestIssuer {
  url: string;
  key: HakiKeyPair;
  offer: (args: { walletUrl: string; txCodeLength?: number; expiresInSeconds?: number; subject?: EntitlementSubject }) => Promise<RegisteredOffer>;
  /** The office's record of the n-th credential issued (0-based): hand-overs, reason. */
  office: (index: number) => OfficeRecord;
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
  const subjects = new Map<string, EntitlementSubject>();
  const issued: { id: string; holderDid: string; index: number; subject: EntitlementSubject }[] = [];
  const records = new Map<number, OfficeRecord>();
  const record = (i: number) => records.get(i) ?? (records.set(i, { handOvers: [] }), records.get(i)!);
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
    issueCredential: async ({ offer, holderDid }: { offer: { id: string }; holderDid: string }) => {
      const now = Date.now();
      const id = `urn:uuid:${crypto.randomUUID()}`;
      const subject = subjects.get(offer.id) ?? DEMO_SUBJECT;
      issued.push({ id, holderDid, index, subject });
      return signCredential(
        {
          issuer: key.did,
          holder: holderDid,
          id,
          subject,
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
  const total = (s: EntitlementSubject) => (s.benefit.type === "Cash" ? s.benefit.amount : s.benefit.type === "InKind" ? s.benefit.quantity : (s.benefit.amount ?? 1));
  const answerCardState = async (request: Request): Promise<HandlerResponse> => {
    let claims;
    try {
      claims = await verifyCardStateRequest(((await request.json()) as { request: string }).request, { audience: config.credentialIssuer, now: new Date() });
    } catch (e) {
      return { status: 403, headers: { "content-type": "application/json" }, body: { error: { code: "ERR_FORBIDDEN", details: { reason: (e as { code?: string }).code } } } };
    }
    const cards: CardState[] = issued
      .filter((c) => c.holderDid === claims.iss && claims.credentials.includes(c.id))
      .map((c) => {
        const r = record(c.index);
        const status = getStatus(lists.revocation, c.index) ? "revoked" : getStatus(lists.suspension, c.index) ? "suspended" : "active";
        const used = r.handOvers.reduce((a, h) => a + h.amount, 0);
        return {
          id: c.id,
          status,
          ...(status !== "active" && r.reason ? { reason: r.reason } : {}),
          programme: { id: c.subject.programme.id, name: c.subject.programme.name, contact: CONTACT },
          ...(c.subject.area === "KE-047" ? { area: { code: "KE-047", name: "Nairobi" } } : {}),
          benefit: c.subject.benefit,
          total: total(c.subject),
          left: Math.max(0, c.subject.redemption === "single" && r.handOvers.length ? 0 : total(c.subject) - used),
          handOvers: r.handOvers,
        };
      });
    const body: CardStateResponse = { checkedAt: new Date().toISOString(), cards };
    return { status: 200, headers: { "content-type": "application/json" }, body };
  };
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
        case "/api/wallet/card-state":
          return send(res, await answerCardState(request));
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
    offer: ({ walletUrl, txCodeLength, expiresInSeconds, subject }) => {
      const id = `ent-${crypto.randomUUID()}`;
      if (subject) subjects.set(id, subject);
      return registerOffer({
        config,
        store,
        id,
        expiresAt: new Date(Date.now() + (expiresInSeconds ?? 600) * 1000),
        ...(txCodeLength ? { txCodeLength } : {}),
        walletUrl,
      });
    },
    office: record,
    setStatus: (purpose, i) => {
      lists[purpose] = setStatus(lists[purpose], i);
    },
    issued: () => index,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/**
 * A test issuer and Chromium for one test file: started before its tests, closed after them.
 *
 * @example
 * const apps = useIssuerAndBrowser({ validFromDays: 10 });
 * it("...", async () => { const page = await (await apps.browser.newContext()).newPage(); await apps.issuer.offer({ walletUrl }); });
 */
export function useIssuerAndBrowser(options: Parameters<typeof startTestIssuer>[0] = {}): { readonly issuer: TestIssuer; readonly browser: Browser } {
  const started: { issuer?: TestIssuer; browser?: Browser } = {};
  beforeAll(async () => {
    started.issuer = await startTestIssuer(options);
    started.browser = await launchChromium();
  });
  afterAll(async () => {
    await started.browser?.close();
    await started.issuer?.close();
  });
  return {
    get issuer() {
      if (!started.issuer) throw new Error("the test issuer starts in beforeAll");
      return started.issuer;
    },
    get browser() {
      if (!started.browser) throw new Error("Chromium starts in beforeAll");
      return started.browser;
    },
  };
}
