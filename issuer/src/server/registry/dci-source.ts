/**
 * DCI Social Registry sources: saved like CSV sources (name + field mapping) plus the connection
 * settings and the registry's access token. The token is sealed with AES-256-GCM under the
 * issuer's key-encryption key, bound to the source id and to the registry's address (both are the
 * AAD): changing the address needs the token entered again, so an officer (or someone who edits
 * the database) cannot send a stored token to a host of their choosing. Only a short hint of the
 * token is ever shown. Addresses that are plainly not a registry's (loopback, private, link-local,
 * metadata...) are refused when saved, and every call is checked again at connection time
 * (registry-fetch.ts).
 */
import { z } from "zod";
import { DciSourceConfig, createDciConnector } from "@haki/registry/dci";
import type { RegistryConnector } from "@haki/registry/connector";
import type { RegistrySource } from "@haki/db";
import type { ServerContext } from "@/server/context";
import type { Actor } from "@/server/auth/roles";
import { requireRole } from "@/server/auth/roles";
import { appendAuditEvent } from "@/server/audit/append-audit-event";
import { ApiError } from "@/server/api/errors";
import { openWithKek, sealWithKek } from "@/server/keys/local-key-store";
import { newId } from "@/server/lib/ids";
import { isIP } from "node:net";
import { RegistryError } from "@haki/registry/connector";
import { parseAddressAllowList, refusedRange } from "./registry-fetch";
import { readJsonColumn } from "@/server/lib/json-column";

/** The settings kept in RegistrySource.config (the mapping has its own column, as for CSV). */
const StoredConfig = DciSourceConfig.omit({ mapping: true });
export type DciStoredConfig = z.infer<typeof StoredConfig>;

export const SaveDciSourceInput = z.object({
  id: z.string().uuid().optional(),
  name: z.string().trim().min(1).max(120),
  config: z.record(z.string(), z.unknown()),
  mapping: z.record(z.string(), z.string()),
  /** A new access token; blank or absent keeps the stored one. */
  token: z.string().trim().max(8192).optional(),
  /** Forget the stored token (a registry that needs none). */
  clearToken: z.boolean().optional(),
});

/** The field mapping kept in RegistrySource.mapping: registry field path -> Haki field. */
const StoredMapping = z.record(z.string(), z.string());

/**
 * A DCI source's stored settings and mapping, read through their schemas.
 *
 * @example
 * const { config } = readDciSettings(source); // config.baseUrl
 */
export function readDciSettings(source: RegistrySource): { config: DciStoredConfig; mapping: Record<string, string> } {
  if (source.kind !== "dci" || !source.config) throw new ApiError("ERR_BAD_REQUEST", "This source is not a DCI registry.");
  return {
    config: readJsonColumn(StoredConfig, source.config, "RegistrySource.config"),
    mapping: readJsonColumn(StoredMapping, source.mapping, "RegistrySource.mapping"),
  };
}

/** The token's AAD: the source and the one address it may be sent to. */
const aad = (sourceId: string, baseUrl: string) => `registry-source:${sourceId}|${baseUrl}`;
/** The AAD of tokens sealed before they were bound to the address (rebindRegistryTokens moves them on). */
const legacyAad = (sourceId: string) => `registry-source:${sourceId}`;
const kek = (ctx: ServerContext) => Buffer.from(ctx.env.HAKI_KEY_ENCRYPTION_KEY, "base64");

/**
 * Creates or updates a DCI source.
 *
 * @example
 * await saveDciSource(ctx, {
 *   name: "National social registry",
 *   config: { baseUrl: "https://sr.example.gov/api", senderId: "haki", receiverId: "sr.example.gov",
 *             query: { queryType: "idtype-value", query: { type: "PROGRAMME", value: "CT-OVC" } } },
 *   mapping: { group_identifier: "registryId", group_size: "householdSize" },
 *   token: "eyJ...",
 * }, actor);
 */
export async function saveDciSource(ctx: ServerContext, input: z.input<typeof SaveDciSourceInput>, actor: Actor): Promise<{ id: string }> {
  requireRole(actor, "officer", "admin");
  const s = SaveDciSourceInput.parse(input);
  // One schema for what the connector will later accept: a source that saves is a source that runs.
  const full = DciSourceConfig.parse({ ...s.config, mapping: s.mapping });
  const { mapping, ...config } = full;
  const id = s.id ?? newId();
  await refuseUnreachableAddresses(ctx, { id, urls: [config.baseUrl, config.jwksUrl] }, actor);
  await ctx.db.$transaction(async (tx) => {
    const existing = await tx.registrySource.findUnique({ where: { id } });
    if (existing && existing.kind !== "dci") throw new ApiError("ERR_CONFLICT", "This source reads CSV files; create a new source for the DCI registry.");
    const before = existing?.config ? readDciSettings(existing).config.baseUrl : undefined;
    // A stored token is bound to the address it was entered for: a new address needs it again.
    if (existing?.secret && before !== config.baseUrl && !s.token && !s.clearToken) throw tokenRequired(before, config.baseUrl);
    const secret = s.clearToken ? null : s.token ? sealWithKek(kek(ctx), Buffer.from(s.token), aad(id, config.baseUrl)) : undefined;
    const data = { name: s.name, kind: "dci", mapping: JSON.stringify(mapping), config: JSON.stringify(config), ...(secret !== undefined ? { secret } : {}) };
    await tx.registrySource.upsert({ where: { id }, create: { id, ...data }, update: data });
    await appendAuditEvent(tx, ctx, {
      actorId: actor.id,
      action: "registry.source_save",
      subject: id,
      // Never the token: only whether it changed.
      details: { kind: "dci", baseUrl: config.baseUrl, mapping, tokenChanged: secret !== undefined },
    });
  }).catch(async (e: unknown) => {
    if (e instanceof TokenRequired) {
      // Refused, and recorded: who tried to point the stored token elsewhere.
      await ctx.db.$transaction((tx) =>
        appendAuditEvent(tx, ctx, { actorId: actor.id, action: "registry.source_save_refused", subject: id, details: { code: e.code, from: e.from ?? null, to: e.to } }),
      );
    }
    throw e;
  });
  return { id };
}

class TokenRequired extends ApiError {
  constructor(
    readonly from: string | undefined,
    readonly to: string,
  ) {
    super("ERR_REGISTRY_TOKEN_REQUIRED", "The registry's address changed: enter its access token again (a stored token is only ever sent to the address it was entered for).");
  }
}
const tokenRequired = (from: string | undefined, to: string) => new TokenRequired(from, to);

/** Refuses (and audits) an address that names a loopback, private, link-local... IP outright. */
async function refuseUnreachableAddresses(ctx: ServerContext, args: { id: string; urls: (string | undefined)[] }, actor: Actor): Promise<void> {
  const allow = parseAddressAllowList(ctx.env.HAKI_REGISTRY_ALLOWED_ADDRESSES);
  for (const url of args.urls) {
    if (!url) continue;
    const host = new URL(url).hostname.replace(/^\[|\]$/g, "");
    const range = isIP(host) ? refusedRange(host, allow) : null;
    if (!range) continue;
    await ctx.db.$transaction((tx) =>
      appendAuditEvent(tx, ctx, { actorId: actor.id, action: "registry.address_refused", subject: args.id, details: { code: "ERR_REGISTRY_ADDRESS_REFUSED", url, range } }),
    );
    throw new RegistryError("ERR_REGISTRY_ADDRESS_REFUSED", `${url} is a ${range} address, which Haki does not call; an operator can allow it with HAKI_REGISTRY_ALLOWED_ADDRESSES.`);
  }
}

/** The stored token of a source, opened for its current address (null when none is stored). */
function openToken(ctx: ServerContext, source: RegistrySource, baseUrl: string): string | null {
  if (!source.secret) return null;
  try {
    return openWithKek(kek(ctx), source.secret, aad(source.id, baseUrl)).toString();
  } catch (cause) {
    // Sealed for another address: the address was changed behind the console's back.
    throw new ApiError("ERR_REGISTRY_TOKEN_REQUIRED", "The registry's address is not the one its access token was entered for: enter the token again.", { cause });
  }
}

/**
 * Re-seals tokens stored before they were bound to their address, for the address stored now.
 * Idempotent; the migrate step runs it.
 *
 * @example
 * await rebindRegistryTokens(ctx); // 1
 */
export async function rebindRegistryTokens(ctx: ServerContext): Promise<number> {
  let moved = 0;
  for (const source of await ctx.db.registrySource.findMany({ where: { kind: "dci", secret: { not: null } } })) {
    const { baseUrl } = readDciSettings(source).config;
    try {
      openWithKek(kek(ctx), source.secret!, aad(source.id, baseUrl));
      continue;
    } catch {
      // not bound yet
    }
    const token = openWithKek(kek(ctx), source.secret!, legacyAad(source.id));
    await ctx.db.$transaction(async (tx) => {
      await tx.registrySource.update({ where: { id: source.id }, data: { secret: sealWithKek(kek(ctx), token, aad(source.id, baseUrl)) } });
      await appendAuditEvent(tx, ctx, { actorId: null, action: "registry.token_bound", subject: source.id, details: { baseUrl } });
    });
    moved++;
  }
  return moved;
}

/** What the console may show of a DCI source: settings, and the token only as a hint. */
export interface DciSourceView {
  config: DciStoredConfig;
  mapping: Record<string, string>;
  /** "…" + last 4 characters for long tokens, "set" for short ones, null when none is stored. */
  tokenHint: string | null;
}

/**
 * Reads a DCI source's settings for display.
 *
 * @example
 * const view = readDciSource(ctx, source); // { config, mapping, tokenHint: "…9f3a" }
 */
export function readDciSource(ctx: ServerContext, source: RegistrySource): DciSourceView {
  const settings = readDciSettings(source);
  let token: string | null;
  try {
    token = openToken(ctx, source, settings.config.baseUrl);
  } catch {
    token = null; // unusable: shown as none, so the form asks for it
  }
  return {
    ...settings,
    tokenHint: token === null ? null : token.length >= 16 ? `…${token.slice(-4)}` : "set",
  };
}

/**
 * The connector for a saved DCI source, with its token unsealed for this run only.
 *
 * @example
 * const connector = dciConnectorFor(ctx, source);
 */
export function dciConnectorFor(ctx: ServerContext, source: RegistrySource): RegistryConnector {
  const settings = readDciSettings(source);
  const config = DciSourceConfig.parse({ ...settings.config, mapping: settings.mapping });
  const token = openToken(ctx, source, config.baseUrl);
  return createDciConnector({ ...config, ...(token ? { auth: { bearer: token } } : {}), fetch: ctx.registryFetch, now: ctx.now });
}
