/**
 * The bulk status screen's form, as server actions see it: CSRF check, fields to domain input,
 * and failures turned into a result the page shows (the screen keeps what the officer typed, so a
 * bad list loses nothing). Kept apart from the "use server" file so it can be tested without Next.
 */
import { ZodError } from "zod";
import type { ServerContext } from "@/server/context";
import type { SessionInfo } from "@/server/auth/sessions";
import { ApiError, type ApiErrorCode } from "@/server/api/errors";
import { parseRefList } from "@/server/status/parse-ref-list";
import { applyBulkStatus, previewBulkStatus, BULK_SCOPE_MAX_REFS, type BulkStatusPreview, type BulkStatusResult } from "@/server/status/bulk-status-scope";
import { checkCsrf } from "./csrf";

export type BulkStatusFormResult =
  | { kind: "preview"; preview: BulkStatusPreview; duplicates: number }
  | { kind: "done"; result: BulkStatusResult }
  | { kind: "error"; code: ApiErrorCode | "ERR_BAD_LIST" | "ERR_LIST_TOO_LONG" | "ERR_NO_SCOPE"; invalid?: { line: number; value: string }[] };

const str = (f: FormData, k: string) => {
  const v = f.get(k);
  return typeof v === "string" ? v : "";
};

/**
 * Handles a "preview" or "apply" submission of the bulk status form.
 *
 * @example
 * const r = await handleBulkStatusForm(ctx, session, form); // form: csrf, intent=preview, action, refs, cycleId, area
 * if (r.kind === "preview") console.log(r.preview.willChange);
 */
export async function handleBulkStatusForm(ctx: ServerContext, session: SessionInfo, form: FormData): Promise<BulkStatusFormResult> {
  try {
    checkCsrf(form, session);
    const list = parseRefList(str(form, "refs"));
    if (list.invalid.length) return { kind: "error", code: "ERR_BAD_LIST", invalid: list.invalid.slice(0, 20) };
    if (list.refs.length > BULK_SCOPE_MAX_REFS) return { kind: "error", code: "ERR_LIST_TOO_LONG" };
    const cycleId = str(form, "cycleId") || undefined;
    if (!list.refs.length && !cycleId) return { kind: "error", code: "ERR_NO_SCOPE" };
    const opt = <T extends string>(k: string) => (str(form, k) || undefined) as T | undefined;
    const scope = {
      refs: list.refs,
      cycleId,
      area: str(form, "area").trim() || undefined,
      status: opt<"issued">("status"),
      delivered: opt<"yes">("delivered"),
      redeemed: opt<"yes">("redeemed"),
    };
    const action = str(form, "action") as "revoke";
    if (str(form, "intent") === "apply") {
      const result = await applyBulkStatus(
        ctx,
        { scope, action, reasonCode: str(form, "reasonCode"), note: str(form, "note"), fingerprint: str(form, "fingerprint") },
        session.actor,
      );
      return { kind: "done", result };
    }
    return { kind: "preview", preview: await previewBulkStatus(ctx, { scope, action }, session.actor), duplicates: list.duplicates };
  } catch (e) {
    if (e instanceof ApiError) return { kind: "error", code: e.code };
    if (e instanceof ZodError) return { kind: "error", code: "ERR_BAD_REQUEST" };
    throw e;
  }
}
