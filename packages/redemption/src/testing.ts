/**
 * A complete, self-consistent little world for tests, the benchmark and the browser tests: an
 * issuer with a did:web key, a bundle-signing key, a signed trust bundle for one service point,
 * revocation and suspension lists, and functions to issue cards. Everything is signed for real
 * with the credentials and status-list packages; nothing here is mocked.
 *
 * Not for production: keys live in memory and the names are made up.
 */
import type { EntitlementSubject, JwtCredentialFormat } from "@haki/credentials/model";
import { generateKeyPair, type HakiKeyPair } from "@haki/credentials/keys";
import { issueSdJwtVc } from "@haki/credentials/sd-jwt";
import { signCredential } from "@haki/credentials/sign";
import { createDemoIssuer, DEMO_SUBJECT, demoStatusUrls } from "@haki/credentials/testing";
import {
  buildStatusListCredential,
  createStatusList,
  signStatusListCredential,
  updateStatuses,
} from "@haki/status-list";
import { calculateJwkThumbprint } from "jose";
import type { StatusListCache } from "@haki/status-list";
import type { CheckContext } from "./check";
import { defaultSettings } from "./settings";
import type { SetupPayload } from "./setup";
import { createMemoryStore } from "./stores";
import { verifyFetchedStatusList } from "./status";
import {
  signTrustBundle,
  type ServicePointInfo,
  type StoredTrustBundle,
  type TrustBundle,
} from "./trust-bundle";

export interface TestWorldOptions {
  /** Base URL of the (fake) issuer; status lists live under it. */
  baseUrl?: string;
  /** The fixed clock: cards and lists are issued at this time. */
  now: Date;
  servicePoint?: Partial<ServicePointInfo>;
}

export interface IssueOptions {
  /** Status list index of the card (revocation and suspension share it). */
  index: number;
  /** The holder's key pair; omit for a paper card. */
  holder?: HakiKeyPair;
  subject?: Partial<EntitlementSubject>;
  validFrom?: Date;
  validUntil?: Date;
  /** Sign with another issuer key (for untrusted-issuer tests). */
  issuerKey?: HakiKeyPair;
  /**
   * VC 1.1 VC-JWT (`vc1`, default: cards in people's hands), VC 2.0 `vc+jwt` (`vc2`, new cycles), or
   * an SD-JWT VC (`dc+sd-jwt`, needs `holder`; its Token Status List is `statusUrls.token`).
   */
  format?: JwtCredentialFormat | "dc+sd-jwt";
}

export interface TestWorld {
  baseUrl: string;
  issuer: HakiKeyPair;
  bundleKey: HakiKeyPair;
  servicePoint: ServicePointInfo;
  bundle: TrustBundle;
  bundleJws: string;
  setup: SetupPayload;
  /** The Bitstring pair, and the Status List Token published from the same bits (`/token` in place of the purpose). */
  statusUrls: { revocation: string; suspension: string; token: string };
  revoked: Set<number>;
  suspended: Set<number>;
  /**
   * Status list credentials as the issuer serves them (URL -> JWT), signed at `at`: with a 5-minute
   * `ttl` (refresh hint) and valid for 7 days (the issuer's default offline tolerance) unless
   * `options` say otherwise.
   */
  statusListJwts(
    at?: Date,
    options?: { ttlMs?: number; validForMs?: number },
  ): Promise<Record<string, string>>;
  /** Signs an entitlement card. */
  issue(options: IssueOptions): Promise<string>;
  /** Re-signs the bundle with changes (a higher seq by default). */
  signBundle(changes?: Partial<TrustBundle>): Promise<string>;
  /**
   * What an enrolled device holds after one refresh at `at` (default: the world's clock): the
   * trust bundle and the status lists, verified as the device verifies them.
   */
  deviceState(at?: Date): Promise<{ trust: StoredTrustBundle; statusLists: StatusListCache[] }>;
}

/** The issuer's defaults: a 5-minute refresh hint, lists valid for the 7-day offline tolerance. */
const STATUS_LIST_TTL_MS = 5 * 60_000;
const STATUS_LIST_VALID_FOR_MS = 7 * 24 * 3_600_000;

// Without an area: this world's cards are good in any area unless a test gives one.
const { area: _anyArea, ...DEMO_SUBJECT_ANY_AREA } = DEMO_SUBJECT;

/**
 * The entitlement used unless a test overrides fields: the demo subject of @haki/credentials/testing
 * for this world's programme ("cash-transfer", which its service points serve) and amount.
 */
export const DEFAULT_SUBJECT: EntitlementSubject = {
  ...DEMO_SUBJECT_ANY_AREA,
  beneficiary: "B-0001",
  name: "Amina Njoroge",
  programme: { id: "cash-transfer", name: "Cash Transfer" },
  benefit: { type: "Cash", amount: 3000, currency: "KES" },
};

/** What an enrolled device holds after a refresh (`TestWorld.deviceState`). */
export type DeviceState = Awaited<ReturnType<TestWorld["deviceState"]>>;

/**
 * The check context of the world's service point device holding `state`: checked at the time of
 * its refresh, default settings, a fresh in-memory store, unless `over` says otherwise.
 *
 * @example
 * const d = await checkProof(proof, checkContextFor(world, await world.deviceState(), { now }));
 */
export function checkContextFor(
  world: TestWorld,
  state: DeviceState,
  over: Partial<CheckContext> = {},
): CheckContext {
  const store = createMemoryStore();
  return {
    now: new Date(state.trust.fetchedAt),
    ...state,
    servicePointId: world.servicePoint.id,
    settings: defaultSettings(),
    seen: store,
    balances: store,
    ...over,
  };
}

/**
 * Builds the test world.
 *
 * @example
 * const world = await createTestWorld({ now: new Date("2027-03-10T09:00:00Z") });
 * const card = await world.issue({ index: 7 });
 */
export async function createTestWorld(options: TestWorldOptions): Promise<TestWorld> {
  const baseUrl = (options.baseUrl ?? "https://issuer.test").replace(/\/$/, "");
  const host = new URL(baseUrl).host.replace(":", "%3A");
  const { key: issuer } = await createDemoIssuer({ did: `did:web:${host}` });
  const bundleKey = await generateKeyPair();
  const servicePoint: ServicePointInfo = {
    id: "sp-kibera-01",
    name: "Kibera Market Shop",
    area: "KE-047",
    programmes: ["cash-transfer", "food-aid"],
    ...options.servicePoint,
  };
  const bitstrings = demoStatusUrls(baseUrl);
  const statusUrls = { ...bitstrings, token: bitstrings.revocation.replace("/revocation", "/token") };
  const iat = Math.floor(options.now.getTime() / 1000);
  const bundle: TrustBundle = {
    v: 1,
    iss: issuer.did,
    seq: 1,
    iat,
    signingKeys: [bundleKey.publicJwk],
    issuers: [
      {
        did: issuer.did,
        name: "Ministry of Social Protection",
        keys: [{ id: "key-1", publicKeyJwk: issuer.publicJwk }],
        programmes: ["cash-transfer", "food-aid", "school-fees"],
      },
    ],
    programmes: [
      {
        id: "cash-transfer",
        name: "Cash Transfer",
        names: { fr: "Transfert monétaire", sw: "Uhamisho wa fedha", ar: "تحويل نقدي" },
      },
      {
        id: "food-aid",
        name: "Food Aid",
        names: { fr: "Aide alimentaire", sw: "Msaada wa chakula", ar: "مساعدة غذائية" },
      },
      { id: "school-fees", name: "School Fees Waiver" },
    ],
    servicePoints: [
      servicePoint,
      { id: "sp-other-02", name: "Other Clinic", area: "KE-001", programmes: ["school-fees"] },
    ],
    statusLists: [statusUrls.revocation, statusUrls.suspension],
  };
  const sign = (b: TrustBundle) =>
    signTrustBundle(b, { privateKey: bundleKey.privateKey, publicJwk: bundleKey.publicJwk });
  const bundleJws = await sign(bundle);
  const setup: SetupPayload = {
    issuer: baseUrl,
    code: "setup-code-0001",
    bundleKey: await calculateJwkThumbprint(bundleKey.publicJwk, "sha256"),
    servicePoint: servicePoint.id,
  };
  const revoked = new Set<number>();
  const suspended = new Set<number>();

  const world: TestWorld = {
    baseUrl,
    issuer,
    bundleKey,
    servicePoint,
    bundle,
    bundleJws,
    setup,
    statusUrls,
    revoked,
    suspended,
    async statusListJwts(at = options.now, o = {}) {
      const out: Record<string, string> = {};
      const validForMs = o.validForMs ?? STATUS_LIST_VALID_FOR_MS;
      for (const purpose of ["revocation", "suspension"] as const) {
        const list = updateStatuses(createStatusList(), {
          set: purpose === "revocation" ? revoked : suspended,
        });
        const payload = buildStatusListCredential({
          url: statusUrls[purpose],
          issuer: issuer.did,
          purpose,
          list,
          issuedAt: at,
          validUntil: new Date(at.getTime() + validForMs),
          ttlMs: o.ttlMs ?? STATUS_LIST_TTL_MS,
        });
        out[statusUrls[purpose]] = await signStatusListCredential(payload, issuer.privateKey, {
          kid: issuer.kid,
        });
      }
      return out;
    },
    issue(o) {
      const validFrom = o.validFrom ?? new Date(options.now.getTime() - 24 * 3600_000);
      const validUntil = o.validUntil ?? new Date(options.now.getTime() + 30 * 24 * 3600_000);
      if (o.format === "dc+sd-jwt") {
        if (!o.holder) throw new Error("An SD-JWT VC is bound to a holder key.");
        const subject = { ...DEFAULT_SUBJECT, ...o.subject };
        const status = { uri: statusUrls.token, index: o.index };
        return issueSdJwtVc({ issuerUrl: baseUrl, holder: o.holder.did, subject, validFrom, validUntil, status }, o.issuerKey ?? issuer);
      }
      return signCredential(
        {
          issuer: (o.issuerKey ?? issuer).did,
          holder: o.holder?.did,
          subject: { ...DEFAULT_SUBJECT, ...o.subject },
          validFrom,
          validUntil,
          status: {
            revocationList: statusUrls.revocation,
            suspensionList: statusUrls.suspension,
            index: o.index,
          },
        },
        o.issuerKey ?? issuer,
        o.format ? { format: o.format } : {},
      );
    },
    signBundle(changes = {}) {
      return sign({ ...bundle, seq: bundle.seq + 1, ...changes });
    },
    async deviceState(at = options.now) {
      const jwts = await world.statusListJwts(at);
      const statusLists = await Promise.all(
        Object.entries(jwts).map(([url, jwt]) => verifyFetchedStatusList(jwt, url, bundle, at)),
      );
      return { trust: { jws: bundleJws, bundle, fetchedAt: at.getTime() }, statusLists };
    },
  };
  return world;
}
