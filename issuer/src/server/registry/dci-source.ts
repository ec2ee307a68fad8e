/**
 * DCI Social Registry sources: saved like CSV sources (name + field mapping) plus the connection
 * settings and the registry's access token. The token is sealed with AES-256-GCM under the
 * issuer's key-encryption key (bound to the source id) and only a short hint of it is ever shown.
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

const aad = (sourceId: string) => `registry-source:${sourceId}`;
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
  await ctx.db.$transaction(async (tx) => {
    const existing = await tx.registrySource.findUnique({ where: { id } });
    if (existing && existing.kind !== "dci") throw new ApiError("ERR_CONFLICT", "This source reads CSV files; create a new source for the DCI registry.");
    const secret = s.clearToken ? null : s.token ? sealWithKek(kek(ctx), Buffer.from(s.token), aad(id)) : undefined;
    const data = { name: s.name, kind: "dci", mapping: JSON.stringify(mapping), config: JSON.stringify(config), ...(secret !== undefined ? { secret } : {}) };
    await tx.registrySource.upsert({ where: { id }, create: { id, ...data }, update: data });
    await appendAuditEvent(tx, ctx, {
      actorId: actor.id,
      action: "registry.source_save",
      subject: id,
      // Never the token: only whether it changed.
      details: { kind: "dci", baseUrl: config.baseUrl, mapping, tokenChanged: secret !== undefined },
    });
  });
  return { id };
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
  const token = source.secret ? openWithKek(kek(ctx), source.secret, aad(source.id)).toString() : null;
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
  const token = source.secret ? openWithKek(kek(ctx), source.secret, aad(source.id)).toString() : undefined;
  return createDciConnector({ ...config, ...(token ? { auth: { bearer: token } } : {}), fetch: ctx.fetch, now: ctx.now });
}
