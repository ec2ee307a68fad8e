"use server";
/**
 * Server action of the bulk status screen: preview or apply, answered with a result (not a
 * redirect) so the screen keeps the pasted list whatever happens.
 */
import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { getServerContext } from "@/server/context";
import { currentSession } from "@/server/web/page-session";
import { handleBulkStatusForm, type BulkStatusFormResult } from "@/server/web/bulk-status-form";

export async function bulkStatusAction(form: FormData): Promise<BulkStatusFormResult> {
  const session = await currentSession();
  if (!session) redirect("/login");
  const result = await handleBulkStatusForm(getServerContext(), session, form);
  if (result.kind === "done" && result.result.changed > 0) revalidatePath("/", "layout");
  return result;
}
