/**
 * The seam every registry source plugs into. A connector reads one source (a CSV export today, the
 * DCI Social Registry API) and yields validated records and per-row errors, one at a time:
 * the importer never holds a whole registry in memory.
 */
import type { RegistryRecord } from "./record";

export type RegistryRowErrorCode =
  | "ERR_ROW_INVALID"
  | "ERR_ROW_MALFORMED"
  | "ERR_ROW_COLUMN_COUNT";

export type RegistryErrorCode =
  | "ERR_REGISTRY_MISSING_COLUMN"
  | "ERR_REGISTRY_EMPTY"
  | "ERR_REGISTRY_READ"
  | "ERR_REGISTRY_ABORTED"
  // API sources (DCI Social Registry):
  | "ERR_REGISTRY_UNREACHABLE"
  | "ERR_REGISTRY_TIMEOUT"
  | "ERR_REGISTRY_HTTP"
  | "ERR_REGISTRY_UNAUTHORIZED"
  | "ERR_REGISTRY_BAD_RESPONSE"
  | "ERR_REGISTRY_SIGNATURE"
  | "ERR_REGISTRY_REJECTED"
  /** The registry's address (or what its name resolves to) is loopback, private, link-local... and not allowed. */
  | "ERR_REGISTRY_ADDRESS_REFUSED"
  /** The registry answered with a redirect: followed by no one (the token would go to another host). */
  | "ERR_REGISTRY_REDIRECT";

/** One problem with one row: where it is, which column, and what is wrong in plain words. */
export interface RegistryRowError {
  /** Line in the source where the row ends (header is line 1), or the record number for APIs. */
  line: number;
  column?: string;
  code: RegistryRowErrorCode;
  message: string;
  /** The registry's id for the row when it could be read, so the registry office can find it. */
  registryId?: string;
}

/** What a connector yields for each row. */
export type RegistryItem =
  | { ok: true; line: number; record: RegistryRecord }
  | { ok: false; line: number; errors: RegistryRowError[] };

export interface RegistryProgress {
  /** Rows read so far (valid or not). */
  rows: number;
  /** Bytes read so far, when the source knows (files do). */
  bytes?: number;
}

export interface ReadArgs {
  signal?: AbortSignal;
  /** Called every few hundred rows and at the end. */
  onProgress?: (progress: RegistryProgress) => void;
}

/**
 * A registry source. `read` can be called again for a fresh pass (re-import reads the source
 * anew); each pass yields rows in source order.
 *
 * @example
 * for await (const item of connector.read({ signal })) {
 *   if (item.ok) await upsert(item.record); else report(item.errors);
 * }
 */
export interface RegistryConnector {
  /** "csv", "dci-social-registry", ... */
  readonly kind: string;
  read(args?: ReadArgs): AsyncIterable<RegistryItem>;
}

/**
 * A failure of the whole source (not of one row), with a stable `code`.
 *
 * @example
 * if (e instanceof RegistryError && e.code === "ERR_REGISTRY_MISSING_COLUMN") showMappingForm();
 */
export class RegistryError extends Error {
  readonly code: RegistryErrorCode;
  /** HTTP status of the failed call, for API sources. */
  readonly status?: number;
  /** The registry's own reason code (DCI `status_reason_code`, e.g. "rjct.search_criteria.invalid"). */
  readonly reasonCode?: string;
  constructor(code: RegistryErrorCode, message: string, options?: { cause?: unknown; status?: number; reasonCode?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "RegistryError";
    this.code = code;
    if (options?.status !== undefined) this.status = options.status;
    if (options?.reasonCode !== undefined) this.reasonCode = options.reasonCode;
  }
}
